# Installing geosim, and its Debian package (cpack -G DEB).
#
# The tree: bin/geosim; share/geosim/ with the scenarios, the page templates and the chart libraries the HTML report
# inlines (the program finds them next to itself, in ../share/geosim, or through $GEOSIM_DATA);
# include/geosim/<layer>/ and lib/ with the five layer libraries and lib/cmake/geosim/ with
# geosimConfig.cmake, so that another CMake project can `find_package(geosim)` and link
# geosim::core (which carries -ffp-contract=off and EIGEN_MAX_ALIGN_BYTES=64 with it: the same
# arithmetic, and Eigen's arrays allocated alike on both sides).
include(CMakePackageConfigHelpers)

install(TARGETS geosim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY scenarios DESTINATION ${CMAKE_INSTALL_DATADIR}/geosim
        PATTERN "sources" EXCLUDE)
install(DIRECTORY scenarios/sources DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/geosim)
install(DIRECTORY templates DESTINATION ${CMAKE_INSTALL_DATADIR}/geosim)
foreach(library vega vega-lite vega-embed)
  if(EXISTS "${GEOSIM_JS_DIR}/${library}/build")
    install(DIRECTORY "${GEOSIM_JS_DIR}/${library}/build" DESTINATION ${CMAKE_INSTALL_DATADIR}/geosim/node_modules/${library})
    install(FILES "${GEOSIM_JS_DIR}/${library}/package.json" DESTINATION ${CMAKE_INSTALL_DATADIR}/geosim/node_modules/${library})
  endif()
endforeach()

# The live page of `geosim play --serve`: its templates and its network library.
install(DIRECTORY templates DESTINATION ${CMAKE_INSTALL_DATADIR}/geosim)
if(EXISTS "${GEOSIM_JS_DIR}/cytoscape/dist/cytoscape.min.js")
  install(FILES "${GEOSIM_JS_DIR}/cytoscape/dist/cytoscape.min.js"
          DESTINATION ${CMAKE_INSTALL_DATADIR}/geosim/node_modules/cytoscape/dist)
  install(FILES "${GEOSIM_JS_DIR}/cytoscape/package.json" DESTINATION ${CMAKE_INSTALL_DATADIR}/geosim/node_modules/cytoscape)
endif()

set(GEOSIM_LAYERS geosim_core geosim_io geosim_analysis geosim_tabletop geosim_report geosim_engine)
install(TARGETS ${GEOSIM_LAYERS} EXPORT geosimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY engine/include/geosim DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT geosimTargets NAMESPACE geosim:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/geosim)
configure_package_config_file(cmake/geosimConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/geosimConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/geosim)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/geosimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/geosimConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/geosimConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/geosim)

# The Debian package: everything above, for a classroom's fresh Debian 12 machine. The shared
# libraries it needs are found by dpkg-shlibdeps; Graphviz draws the report's network picture.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME geosim)
set(CPACK_PACKAGE_VENDOR "geosim")
set(CPACK_PACKAGE_CONTACT "geosim developers <geosim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "geopolitical scenario simulator for tabletop exercises and teaching")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# graphviz: the report's network diagram; iso-codes: country names for ingest and world; tzdata: the
# world generator's regions.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "graphviz, iso-codes, tzdata")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Actors form a weighted relation graph whose tensions evolve under events from YAML scenarios.\n\
Run scenarios, compare policies over Monte Carlo ensembles, play tabletop exercises and write\n\
after-action reports as HTML.")
include(CPack)
