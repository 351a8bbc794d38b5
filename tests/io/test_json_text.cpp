// JSON text as geosim writes it (io/json_text.hpp): a byte that is not UTF-8 becomes U+FFFD
// (EF BF BD) where nlohmann's dump would throw; everything else is nlohmann's own text.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "geosim/io/json_text.hpp"

namespace geosim {
namespace {

TEST(JsonText, BytesThatAreNotUtf8BecomeTheReplacementCharacter) {
  const nlohmann::json value = {{"file", "w\xFF.yaml"}, {"name", "caf\xC3\xA9"}};
  EXPECT_EQ(json_text(value), "{\"file\":\"w\xEF\xBF\xBD.yaml\",\"name\":\"caf\xC3\xA9\"}");
  EXPECT_THROW((void)value.dump(), nlohmann::json::type_error) << "what json_text stands in for";
  nlohmann::ordered_json ordered;
  ordered["z"] = 1;
  ordered["a"] = "\xC3(";
  EXPECT_EQ(json_text(ordered, 2), "{\n  \"z\": 1,\n  \"a\": \"\xEF\xBF\xBD(\"\n}");
}

}  // namespace
}  // namespace geosim
