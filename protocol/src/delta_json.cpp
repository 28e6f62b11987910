#include "protocol/delta_json.hpp"

#include <array>
#include <cstddef>
#include <utility>
#include <variant>

#include "delta_fields.hpp"
#include "reader.hpp"
#include "writer.hpp"

namespace protocol {
namespace detail {

// The members of every delta and state are listed once, in delta_fields.hpp; states are read by
// reader.hpp's read_value for described types.

namespace {

constexpr auto& kDeltaTypes = WireTypes<world::Delta>::names;

// One reader per alternative, indexed like kDeltaTypes.
using DeltaReader = void (*)(ObjectReader&, world::Delta&);
template <std::size_t I>
void read_alternative(ObjectReader& r, world::Delta& out) {
  read_members(r, out.emplace<I>());
}
constexpr auto kDeltaReaders = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<DeltaReader, sizeof...(I)>{&read_alternative<I>...};
}
(std::make_index_sequence<std::variant_size_v<world::Delta>>{});

}  // namespace
}  // namespace detail

nlohmann::json to_json(const world::ItemState& i) {
  return detail::encode(i);
}

nlohmann::json to_json(const world::EntityState& e) {
  return detail::encode(e);
}

nlohmann::json to_json(const world::Delta& d) {
  return std::visit([](const auto& alternative) { return detail::encode(alternative); }, d);
}

world::Result<world::Delta> delta_from_json(const nlohmann::json& j) {
  detail::Diagnostics errors;
  const detail::Path root("delta");
  detail::ObjectReader r(errors, j, root);
  const std::size_t type = detail::read_type(r, detail::kDeltaTypes, "delta");
  world::Delta out;
  if (!errors.failed()) detail::kDeltaReaders[type](r, out);
  if (errors.failed()) return errors.take();
  return out;
}

world::Result<world::EntityState> entity_state_from_json(const nlohmann::json& j) {
  detail::Diagnostics errors;
  world::EntityState out;
  detail::read_value(errors, j, detail::Path("entity"), out);
  if (errors.failed()) return errors.take();
  return out;
}

world::Result<world::ItemState> item_state_from_json(const nlohmann::json& j) {
  detail::Diagnostics errors;
  world::ItemState out;
  detail::read_value(errors, j, detail::Path("item"), out);
  if (errors.failed()) return errors.take();
  return out;
}

}  // namespace protocol
