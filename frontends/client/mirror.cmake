# client_core: WorldMirror, the world as one client sees it, rebuilt from the delta stream.
# Pure C++ (no I/O): the SFML client, the headless bots and the tests share it.
add_library(client_core STATIC src/world_mirror.cpp)
add_library(alphammo::client_core ALIAS client_core)
target_include_directories(client_core
  PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>)
target_link_libraries(client_core
  PUBLIC alphammo::world alphammo::protocol
  PRIVATE $<BUILD_INTERFACE:alphammo_warnings>)
set_target_properties(client_core PROPERTIES OUTPUT_NAME alphammo_client_core
                      POSITION_INDEPENDENT_CODE ON)
