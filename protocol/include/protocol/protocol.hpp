#pragma once
/// \file Everything of the protocol library: JSON text, commands, deltas.

#include "protocol/command_json.hpp"  // IWYU pragma: export
#include "protocol/delta_json.hpp"    // IWYU pragma: export
#include "protocol/session.hpp"       // IWYU pragma: export
#include "protocol/text.hpp"          // IWYU pragma: export
