#include "words.hpp"

namespace sfml_client {

std::string rejection_words(world::RejectReason reason) {
  using R = world::RejectReason;
  switch (reason) {
    case R::UnknownEntity:
    case R::StaleEntity:
      return "You are not in the world.";
    case R::OutOfBounds:
      return "The world ends here.";
    case R::Blocked:
      return "You cannot walk there.";
    case R::Occupied:
      return "Someone is standing there.";
    case R::Cooldown:
      return "Not so fast.";
    case R::AlreadyInWorld:
      return "This character is already in the world.";
    case R::NoFreeTile:
      return "There is no free place to appear.";
    case R::InvalidArgument:
      return "That cannot be done.";
    case R::NotAPlayer:
      return "Only players can do that.";
    case R::InvalidTarget:
      return "That target is gone.";
    case R::SelfTarget:
      return "You cannot attack yourself.";
    case R::NotAttackable:
      return "You cannot attack that.";
    case R::ProtectionZone:
      return "No fighting in a protection zone.";
    case R::NoSuchItem:
      return "That item is not there any more.";
    case R::NotAdjacent:
      return "That is too far away to pick up.";
    case R::BackpackFull:
      return "Your backpack is full.";
    case R::NotEquippable:
      return "You cannot wear that.";
    case R::NotUsable:
      return "You cannot use that.";
    case R::EmptySlot:
      return "You are not wearing anything there.";
    case R::InvalidText:
      return "That message cannot be sent.";
    case R::NotEnoughMana:
      return "Not enough mana.";
    case R::OutOfRange:
      return "Too far away.";
    case R::NoLineOfSight:
      return "You cannot see that.";
    case R::NotYourVocation:
      return "Your vocation cannot do that.";
  }
  return "That was refused.";
}

std::string cast_rejection_words(world::RejectReason reason) {
  using R = world::RejectReason;
  switch (reason) {
    case R::Cooldown:
      return "Not ready yet.";
    case R::InvalidTarget:
      return "That is not a target for this spell.";
    case R::SelfTarget:
      return "You cannot cast that on yourself.";
    case R::NotAttackable:
      return "You cannot harm that.";
    default:
      return rejection_words(reason);
  }
}

std::string kick_words(protocol::KickReason reason) {
  using K = protocol::KickReason;
  switch (reason) {
    case K::ServerShutdown:
      return "The server is shutting down.";
    case K::LoggedInElsewhere:
      return "Your account logged in from somewhere else.";
    case K::TooSlow:
      return "Your connection was too slow to keep up.";
    case K::Idle:
      return "You were idle for too long.";
    case K::ProtocolViolation:
      return "Your client sent too many refused messages.";
  }
  return "You were disconnected.";
}

std::string error_words(const protocol::ProtocolError& error) {
  using E = protocol::ErrorCode;
  switch (error.code) {
    case E::InvalidCredentials:
      return "Wrong username or password.";
    case E::LoginThrottled:
      return "Too many failed logins: this account is locked for a while. Try again later.";
    case E::UsernameInvalid:
      return "Usernames are 3 to 20 letters, digits or underscores.";
    case E::UsernameTaken:
      return "That username is taken.";
    case E::PasswordInvalid:
      return "Passwords are 1 to 256 characters.";
    case E::CharacterNameInvalid:
      return "Names are 3 to 16 letters (a to z, no accents), digits or single spaces, starting "
             "with a letter.";
    case E::CharacterNameTaken:
      return "That name is taken.";
    case E::TooManyCharacters:
      return "This account has all the characters it may have.";
    case E::NoSuchCharacter:
      return "That character does not exist.";
    case E::CharacterInUse:
      return "That character is in the world from another session.";
    case E::WorldFull:
      return "The world is full. Try again later.";
    case E::RateLimited:
      return "Slow down: the server is dropping messages.";
    case E::InternalError:
      return "The server had a problem. Try again.";
    case E::UnsupportedProtocolVersion:
      return "The server speaks another version of the protocol: update your client.";
    default:
      return error.message.empty() ? std::string(protocol::to_string(error.code)) : error.message;
  }
}

std::string failure_words(const client::ClientError& e) {
  using K = client::ErrorKind;
  switch (e.kind) {
    case K::Options:
      return e.message;
    case K::Resolve:
      return "Cannot find the server: " + e.message;
    case K::Refused:
      return "The server refused the connection (is it running?): " + e.message;
    case K::Timeout:
      return "The server did not answer in time: " + e.message;
    case K::Tls:
      if (e.message.find("not trusted") != std::string::npos) {
        return "The server's certificate is not trusted: " + e.message;
      }
      return "The secure connection failed: " + e.message;
    case K::Fingerprint:
      return "The server's certificate does not match the pinned fingerprint: " + e.message;
    case K::Handshake:
      return "That is not an AlphaMMO server: " + e.message;
    case K::ProtocolVersion:
      return "The server speaks another version of the protocol: update your client.";
    case K::Closed:
      if (e.kick) return kick_words(*e.kick);
      return "The connection was lost: " + e.message;
    case K::Server:
      if (e.server_error) {
        if (e.server_error->code == protocol::ErrorCode::RateLimited ||
            e.server_error->code == protocol::ErrorCode::InternalError) {
          return "The server is busy: " + error_words(*e.server_error);
        }
        return error_words(*e.server_error);
      }
      return e.message;
    case K::Protocol:
      return "The server sent something this client cannot read: " + e.message;
    case K::Network:
      return "Network error: " + e.message;
    case K::Content:
      return "The server's content (map, items, creatures) could not be loaded: " + e.message;
    case K::Cache:
      return "The content cache cannot be written: " + e.message;
    case K::Cancelled:
      return "Cancelled.";
  }
  return e.message;
}

}  // namespace sfml_client
