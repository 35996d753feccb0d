#include "client/cli/progress_bar.h"

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

TEST(ProgressBarTest, Render) {
  EXPECT_EQ(ProgressBar::Render(45, 100, 123456, 3.44, 10),
            "[####......]  45%  45/100 paths  1.23e+05 steps  3.4 s");
  EXPECT_EQ(ProgressBar::Render(0, 0, 0, 0.0, 4), "[....]   0%  0/0 paths  0 steps  0.0 s");
  EXPECT_EQ(ProgressBar::Render(7, 5, 1, 1.0, 4), "[####] 100%  7/5 paths  1 steps  1.0 s");
}

// What the bar wrote, via a memory stream.
class Captured {
 public:
  Captured() : file_(open_memstream(&buffer_, &size_)) {}
  ~Captured() {
    std::fclose(file_);
    std::free(buffer_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

TEST(ProgressBarTest, OffAndAutoOffATerminalDrawNothing) {
  Captured out;
  ProgressBar off(ProgressBar::Mode::kOff, out.file(), true);
  off.Update(1, 2, 3);
  ProgressBar automatic(ProgressBar::Mode::kAuto, out.file(), false);
  automatic.Update(1, 2, 3);
  automatic.Finish();
  EXPECT_EQ(out.text(), "");
}

TEST(ProgressBarTest, AutoWaitsForQuickSolvesToEnd) {
  Captured out;
  ProgressBar bar(ProgressBar::Mode::kAuto, out.file(), true);
  bar.Update(1, 2, 3);  // well under kAutoDelay after the start
  bar.Finish();
  EXPECT_EQ(out.text(), "");
}

TEST(ProgressBarTest, OnDrawsAndTheTerminalLineIsErased) {
  Captured out;
  ProgressBar bar(ProgressBar::Mode::kOn, out.file(), true);
  bar.Update(1, 4, 10);
  bar.Update(2, 4, 20);  // within kRedrawInterval: skipped
  const std::string drawn = out.text();
  EXPECT_EQ(drawn.rfind("\r[", 0), 0u);
  EXPECT_NE(drawn.find("1/4 paths"), std::string::npos);
  EXPECT_EQ(drawn.find("2/4 paths"), std::string::npos);
  std::this_thread::sleep_for(ProgressBar::kRedrawInterval * 2);
  bar.Update(3, 4, 30);
  EXPECT_NE(out.text().find("3/4 paths"), std::string::npos);
  bar.Finish();
  const std::string all = out.text();
  EXPECT_EQ(all.back(), '\r');  // erased, the cursor back at the line's start
}

TEST(ProgressBarTest, OnOffATerminalEndsTheLine) {
  Captured out;
  ProgressBar bar(ProgressBar::Mode::kOn, out.file(), false);
  bar.Update(1, 4, 10);
  bar.Finish();
  EXPECT_EQ(out.text().back(), '\n');
}

}  // namespace
}  // namespace pathwise::cli
