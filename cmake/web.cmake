# The web page of `rasid serve` beside the binary: web/ copied to
# ${CMAKE_BINARY_DIR}/web, with Arabic fonts from Debian's fonts-noto-core
# (SIL Open Font License 1.1, which allows serving them; the licence file
# goes along as fonts/LICENSE) in fonts/. Without the fonts the page falls
# back to the system's Arabic fonts (see web/style.css).
file(GLOB RASID_WEB_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/web/*)
set(RASID_WEB_OUT ${CMAKE_BINARY_DIR}/web)
set(RASID_WEB_FONTS)
foreach(font NotoNaskhArabic-Regular NotoNaskhArabic-Bold NotoSansArabic-Regular NotoSansArabic-Bold)
  if(EXISTS /usr/share/fonts/truetype/noto/${font}.ttf)
    list(APPEND RASID_WEB_FONTS /usr/share/fonts/truetype/noto/${font}.ttf)
  endif()
endforeach()
set(RASID_WEB_FONT_COMMANDS)
if(RASID_WEB_FONTS)
  set(RASID_WEB_FONT_COMMANDS
      COMMAND ${CMAKE_COMMAND} -E make_directory ${RASID_WEB_OUT}/fonts
      COMMAND ${CMAKE_COMMAND} -E copy ${RASID_WEB_FONTS} ${RASID_WEB_OUT}/fonts/
      COMMAND ${CMAKE_COMMAND} -E copy /usr/share/doc/fonts-noto-core/copyright ${RASID_WEB_OUT}/fonts/LICENSE)
endif()
add_custom_command(OUTPUT ${RASID_WEB_OUT}/.stamp
                   COMMAND ${CMAKE_COMMAND} -E rm -rf ${RASID_WEB_OUT}
                   COMMAND ${CMAKE_COMMAND} -E copy_directory ${CMAKE_SOURCE_DIR}/web ${RASID_WEB_OUT}
                   ${RASID_WEB_FONT_COMMANDS}
                   COMMAND ${CMAKE_COMMAND} -E touch ${RASID_WEB_OUT}/.stamp
                   DEPENDS ${RASID_WEB_SOURCES} ${RASID_WEB_FONTS}
                   COMMENT "Copying the web page and its fonts to ${RASID_WEB_OUT}")
add_custom_target(rasid_web ALL DEPENDS ${RASID_WEB_OUT}/.stamp)
