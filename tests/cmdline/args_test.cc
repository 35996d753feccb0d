#include "cmdline/args.h"

#include "gtest/gtest.h"

namespace pathwise::cmdline {
namespace {

const std::vector<FlagSpec> kFlags = {
    {"dt"}, {"param", FlagKind::kRepeated}, {"adaptive", FlagKind::kSwitch}, {"format"}};

std::string UsageMessage(const std::vector<std::string>& words) {
  try {
    Args args(words, kFlags);
  } catch (const UsageError& e) {
    return e.message;
  }
  return "";
}

TEST(ArgsTest, ValuesSwitchesAndRepeatedOptions) {
  const Args args({"--dt", "0.01", "--param=a=1", "--adaptive", "--param", "b=2", "--dt=0.02"},
                  kFlags);
  EXPECT_FALSE(args.help());
  EXPECT_EQ(args.Double("dt", 0), 0.02);  // a later value replaces an earlier one
  EXPECT_EQ(args.All("param"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_TRUE(args.Switch("adaptive"));
  EXPECT_FALSE(args.Has("format"));
  EXPECT_EQ(args.String("format", "table"), "table");
}

TEST(ArgsTest, SwitchTakesAnExplicitBoolean) {
  EXPECT_FALSE(Args({"--adaptive=false"}, kFlags).Switch("adaptive"));
  EXPECT_TRUE(Args({"--adaptive=1"}, kFlags).Switch("adaptive"));
  EXPECT_EQ(UsageMessage({"--adaptive=maybe"}), "--adaptive: 'maybe' is not true or false");
}

TEST(ArgsTest, HelpAnywhere) { EXPECT_TRUE(Args({"--dt", "1", "-h"}, kFlags).help()); }

TEST(ArgsTest, MistakesNameTheOption) {
  EXPECT_EQ(UsageMessage({"--dtt", "1"}), "unknown option --dtt");
  EXPECT_EQ(UsageMessage({"--dt"}), "--dt needs a value");
  EXPECT_EQ(UsageMessage({"0.01"}), "unexpected argument '0.01'");
}

TEST(ArgsTest, TypedValues) {
  const Args args({"--dt", "x", "--format", "xml"}, kFlags);
  try {
    args.Double("dt", 0);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(e.message, "--dt: 'x' is not a number");
  }
  try {
    args.Choice("format", "table", {"table", "csv"});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(e.message, "--format: 'xml' is not one of table, csv");
  }
  EXPECT_THROW(ParseUnsigned("paths", "-1", 10), UsageError);
  EXPECT_THROW(ParseUnsigned("paths", "11", 10), UsageError);
  EXPECT_EQ(ParseUnsigned("paths", "10", 10), 10u);
}

TEST(ArgsTest, Lists) {
  EXPECT_EQ(ParseDoubleList("y0", "1, 2.5,,-3"), (std::vector<double>{1, 2.5, -3}));
  EXPECT_EQ(ParseDoubleList("y0", ""), std::vector<double>{});
  EXPECT_EQ(ParseWordList("state", "x, v"), (std::vector<std::string>{"x", "v"}));
  EXPECT_THROW(ParseWordList("state", "x,,v"), UsageError);
  EXPECT_EQ(ParseKeyValue("param", " sigma = 0.5 "), std::make_pair(std::string("sigma"), 0.5));
  EXPECT_THROW(ParseKeyValue("param", "sigma"), UsageError);
  EXPECT_THROW(ParseKeyValue("param", "=1"), UsageError);
  EXPECT_THROW(ParseKeyValue("param", "a=b"), UsageError);
}

}  // namespace
}  // namespace pathwise::cmdline
