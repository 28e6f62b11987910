# alphammo-bot: headless bots (built-in behaviours, or a child program per bot over a pipe),
# one or a swarm on one io_context. headless_bot holds the pipe bot so that tests can use it.
if(TARGET alphammo::client_net)
  find_package(spdlog REQUIRED)
  add_library(headless_bot STATIC
    ${CMAKE_CURRENT_LIST_DIR}/bot_observation.cpp
    ${CMAKE_CURRENT_LIST_DIR}/bot_pipe.cpp
  )
  target_include_directories(headless_bot PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_LIST_DIR}>)
  target_link_libraries(headless_bot PUBLIC alphammo::client_net
                        PRIVATE $<BUILD_INTERFACE:alphammo_warnings>)

  add_executable(alphammo-bot ${CMAKE_CURRENT_LIST_DIR}/bot_main.cpp)
  target_link_libraries(alphammo-bot PRIVATE headless_bot alphammo::content_files spdlog::spdlog
                        CLI11::CLI11 alphammo_warnings)
  install(TARGETS alphammo-bot RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
