#pragma once
/// \file What the player reads: refusals, errors and kicks in words.

#include <string>

#include "client/error.hpp"
#include "protocol/session.hpp"
#include "world/command.hpp"

namespace sfml_client {

/// A refused command in the player's words ("Your backpack is full.").
[[nodiscard]] std::string rejection_words(world::RejectReason reason);
/// A refused spell (world::Cast) in the player's words: like rejection_words(), but a cooldown
/// is the spell's ("Not ready yet.") and target refusals speak of spells.
[[nodiscard]] std::string cast_rejection_words(world::RejectReason reason);
/// A server's `error` in the player's words ("Wrong username or password.").
[[nodiscard]] std::string error_words(const protocol::ProtocolError& error);
/// Why a connection or session failed, in the player's words: unreachable, refused, timed out,
/// an untrusted certificate (with its fingerprint when known), a pin mismatch, a wrong
/// protocol version, wrong credentials, throttled, server busy, kicked.
[[nodiscard]] std::string failure_words(const client::ClientError& error);
/// A kick reason in the player's words.
[[nodiscard]] std::string kick_words(protocol::KickReason reason);

}  // namespace sfml_client
