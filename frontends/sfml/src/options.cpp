#include "options.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <sstream>

namespace sfml_client {

world::Result<std::string> certificate_fingerprint(const std::filesystem::path& pem) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(pem.c_str(), "rb"), &std::fclose);
  if (!f) return world::Error{"cannot read the certificate " + pem.string()};
  std::unique_ptr<X509, void (*)(X509*)> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr),
                                              &X509_free);
  if (!cert) return world::Error{pem.string() + " holds no PEM certificate"};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(cert.get(), EVP_sha256(), md, &n) != 1) {
    return world::Error{"cannot hash the certificate " + pem.string()};
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    if (i > 0) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

world::Result<ParsedArgs> parse_args(int argc, const char* const* argv,
                                     const std::filesystem::path& default_cert) {
  ParsedArgs out;
  AppOptions& o = out.app;
  std::string server = "127.0.0.1:7171";
  std::string pin;
  std::string ca;
  bool insecure = false;
  std::string cert = default_cert.string();
  std::string replay;
  std::string size;
  std::string tiles = o.tiles.string();
  std::string content_dir;

  CLI::App app{
      "alphammo-client: the AlphaMMO player client (and replay viewer).\n\n"
      "With no arguments it connects to 127.0.0.1:7171 and trusts the certificate that\n"
      "./run.sh's server made (var/cert.pem, pinned by its SHA-256 fingerprint).\n\n"
      "Controls: arrows or WASD walk (hold to keep walking); left-click a creature to attack\n"
      "it, Esc to stop; right-click an item on the ground (or g) to pick it up; t talks,\n"
      "Enter sends, Esc cancels; i shows the inventory (click to select, double-click or\n"
      "right-click to use, equip or take off, drag to move, equip or drop); m the minimap;\n"
      "1 to 9 cast your vocation's spells (at your target, the creature or tile under the\n"
      "mouse; see the spell bar).",
      "alphammo-client"};
  app.add_option("--server", server, "Server address HOST:PORT")->capture_default_str();
  auto* pin_opt = app.add_option("--pin", pin,
                                 "Trust the server whose certificate has this SHA-256 "
                                 "fingerprint (64 hex digits, colons optional)");
  auto* ca_opt = app.add_option("--ca", ca, "Trust certificates signed by these PEM authorities")
                     ->check(CLI::ExistingFile);
  auto* insecure_opt =
      app.add_flag("--insecure", insecure,
                   "Do not check the certificate at all (anyone in between can read everything)");
  auto* cert_opt = app.add_option("--cert", cert,
                                  "Pin the fingerprint of this PEM certificate (the default "
                                  "trust; ./run.sh's server writes var/cert.pem)")
                       ->capture_default_str();
  pin_opt->excludes(ca_opt)->excludes(insecure_opt)->excludes(cert_opt);
  ca_opt->excludes(insecure_opt)->excludes(cert_opt);
  insecure_opt->excludes(cert_opt);
  app.add_option("--user", o.user, "Username (with --password: log in at once)");
  app.add_option("--password", o.password, "Password for a scripted start");
  app.add_flag("--register", o.register_account, "Scripted start: register the account first");
  app.add_option("--character", o.character,
                 "Scripted start: enter this character (created when missing)");
  app.add_option("--vocation", o.vocation,
                 "Scripted start: the vocation --character is created with (a key of the "
                 "server's vocations.json; shipped: knight, archer, mage)");
  app.add_option("--replay", replay, "Open a recording (.amrec) in the replay viewer")
      ->check(CLI::ExistingFile);
  app.add_option("--size", size, "Window size WIDTHxHEIGHT (at least 800x600)")
      ->capture_default_str()
      ->default_str("1280x720");
  app.add_flag("--procedural-tiles", o.procedural_tiles,
               "Draw the client's own tiles even when Dungeon Crawl's are installed");
  app.add_option("--tiles", tiles, "The tile map file (tiles.json)")->capture_default_str();
  app.add_option("--content", content_dir,
                 "Use this local content directory instead of the server's");
  std::string cache_dir;
  app.add_option("--cache-dir", cache_dir,
                 "Where the server's content is cached by hash (default: "
                 "$XDG_CACHE_HOME/alphammo/content or ~/.cache/alphammo/content)");
  app.add_option("--retries", o.retry_attempts,
                 "Reconnection attempts after a lost connection (1..20)")
      ->check(CLI::Range(1u, 20u))
      ->capture_default_str();
  app.add_option("--screenshot", o.screenshot,
                 "Save the window to this PNG file after --screenshot-after seconds, and quit");
  app.add_option("--screenshot-after", o.screenshot_after, "Seconds before --screenshot (0.1..600)")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_flag("!--no-vsync", o.vsync, "Do not wait for the display between frames");
  app.add_option("--log-level", out.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.set_version_flag("--version", "alphammo-client " ALPHAMMO_VERSION_STRING);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    std::ostringstream s;
    out.code = app.exit(e, s, s);
    out.text = s.str();
    out.exit = true;
    return out;
  } catch (const CLI::ParseError& e) {
    return world::Error{e.what()};
  }

  auto address = client::parse_server_address(server);
  if (!address.ok()) return world::Error{"--server: " + address.error().message};
  o.connect.host = address.value().host;
  o.connect.port = address.value().port;
  if (!pin.empty()) {
    auto normal = client::normalize_fingerprint(pin);
    if (!normal) {
      return world::Error{"--pin: \"" + pin +
                          "\" is not a SHA-256 fingerprint (64 hex digits, colons optional)"};
    }
    o.connect.verify = client::TlsVerify::Pin;
    o.connect.pin = *normal;
  } else if (!ca.empty()) {
    o.connect.verify = client::TlsVerify::CaFile;
    o.connect.ca_file = ca;
  } else if (insecure) {
    o.connect.verify = client::TlsVerify::Insecure;
    out.warnings.push_back(
        "--insecure: the server's certificate is NOT checked; anyone in between can read and "
        "change everything, your password included");
  } else if (replay.empty()) {
    auto fp = certificate_fingerprint(cert);
    if (!fp.ok()) {
      return world::Error{"no certificate to trust: " + fp.error().message +
                          " (run from the folder where ./run.sh made var/cert.pem, or give "
                          "--pin, --ca or --cert)"};
    }
    o.connect.verify = client::TlsVerify::Pin;
    o.connect.pin = fp.value();
  }
  if (!o.password.empty() && o.user.empty()) return world::Error{"--password needs --user"};
  if (!o.character.empty() && o.password.empty()) {
    return world::Error{"--character needs --user and --password"};
  }
  if (!o.vocation.empty() && o.character.empty()) {
    return world::Error{"--vocation needs --character (the character it creates)"};
  }
  unsigned w = 0;
  unsigned h = 0;
  char x = 0;
  std::istringstream sizes(size.empty() ? "1280x720" : size);
  if (!(sizes >> w >> x >> h) || x != 'x' || !sizes.eof() || w < 800 || h < 600 || w > 8192 ||
      h > 8192) {
    return world::Error{"--size: expected WIDTHxHEIGHT of at least 800x600, got \"" + size + "\""};
  }
  o.width = w;
  o.height = h;
  o.replay = replay;
  o.tiles = tiles;
  o.content_dir = content_dir;
  o.cache_dir = cache_dir;
  return out;
}

}  // namespace sfml_client
