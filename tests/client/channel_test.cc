#include "client/cli/channel.h"

#include "client/cli/args.h"
#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

TEST(ChannelTest, OneAddressIsPassedThrough) {
  const ServerTarget s = ParseServer("127.0.0.1:50051");
  EXPECT_EQ(s.target, "127.0.0.1:50051");
  EXPECT_EQ(s.addresses, 1u);
  EXPECT_EQ(ParseServer("dns:///pathwise.svc:50051").target, "dns:///pathwise.svc:50051");
}

TEST(ChannelTest, SeveralAddressesBecomeOneStaticTarget) {
  const ServerTarget s = ParseServer("127.0.0.1:5001, 127.0.0.2:5002,127.0.0.1:5003");
  EXPECT_EQ(s.target, "ipv4:127.0.0.1:5001,127.0.0.2:5002,127.0.0.1:5003");
  EXPECT_EQ(s.addresses, 3u);
  EXPECT_EQ(ParseServer("[::1]:1,[::1]:2").target, "ipv6:[::1]:1,[::1]:2");
}

TEST(ChannelTest, HostNamesInAListAreResolved) {
  // localhost resolves to 127.0.0.1 on every Debian machine (/etc/hosts).
  const ServerTarget s = ParseServer("localhost:7001,127.0.0.1:7002");
  EXPECT_EQ(s.target.rfind("ipv4:", 0), 0u) << s.target;
  EXPECT_NE(s.target.find("127.0.0.1:7001"), std::string::npos) << s.target;
  EXPECT_EQ(s.addresses, 2u);
}

TEST(ChannelTest, BadListsAreUsageErrors) {
  for (const char* bad : {"127.0.0.1:1,", "127.0.0.1,127.0.0.1:2", "127.0.0.1:0,127.0.0.1:2",
                          "127.0.0.1:1,[::1]:2", "::1:1,::1:2", "127.0.0.1:99999,a:1", ""}) {
    EXPECT_THROW(ParseServer(bad), UsageError) << bad;
  }
}

TEST(ChannelTest, Timeout) {
  EXPECT_EQ(ParseTimeout("2.5"), 2.5);
  EXPECT_THROW(ParseTimeout("0"), UsageError);
  EXPECT_THROW(ParseTimeout("inf"), UsageError);
  EXPECT_THROW(ParseTimeout("-1"), UsageError);
}

}  // namespace
}  // namespace pathwise::cli
