// html_chromium_test -- the HTML export of a real counterexample, rendered by headless
// Chromium (Debian's `chromium`; tools/setup.sh installs it).
//
// Oracles:
//   - the DOM Chromium built (--dump-dom) has the verdict with its oracle, one lane per
//     task of the trace, one row per step, and the last row marked as the failing step
//     with the last step's kernel function in it;
//   - a screenshot (--screenshot) is not blank: decoded, it has at least 16 colours and
//     at least 5% of its pixels differ from the most common (background) colour.
//     A blank page has 1 colour; the export's header, legend and lanes give far more.
// Chromium may print D-Bus or network errors on stderr; only its exit status counts.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/report/run_binary.h"

namespace kt::testing {
namespace {

using nlohmann::json;

constexpr const char* kVariant = "event_check_before_set_state";
constexpr const char* kScenario = "event_loop";

std::string Chromium(const std::string& args) {
  Result which = Shell("command -v chromium");
  if (which.status != 0) return "";
  std::string profile = TmpDir() + "/chromium-profile";
  return "HOME=" + TmpDir() +
         " chromium --headless --no-sandbox --disable-gpu "
         "--disable-background-networking --disable-component-update --disable-sync "
         "--no-first-run --user-data-dir=" +
         profile + " " + args;
}

struct Image {
  uint32_t width = 0, height = 0;
  std::vector<uint32_t> pixels;  // 0xRRGGBB
};

uint32_t Be32(const std::string& s, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3]));
}

int Paeth(int a, int b, int c) {
  int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
}

// Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes); *error says
// why not otherwise.
std::optional<Image> DecodePng(const std::string& png, std::string* error) {
  if (png.size() < 33 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    *error = "not a PNG";
    return std::nullopt;
  }
  Image img;
  int channels = 0;
  std::string idat;
  for (size_t at = 8; at + 8 <= png.size();) {
    uint32_t len = Be32(png, at);
    std::string type = png.substr(at + 4, 4);
    if (type == "IHDR") {
      img.width = Be32(png, at + 8);
      img.height = Be32(png, at + 12);
      int depth = png[at + 16], color = png[at + 17], interlace = png[at + 20];
      channels = color == 2 ? 3 : color == 6 ? 4 : 0;
      if (depth != 8 || channels == 0 || interlace != 0) {
        *error = "unsupported PNG (depth " + std::to_string(depth) + ", colour type " +
                 std::to_string(color) + ")";
        return std::nullopt;
      }
    } else if (type == "IDAT") {
      idat += png.substr(at + 8, len);
    }
    at += 12 + len;
  }
  size_t stride = img.width * channels;
  std::vector<uint8_t> raw((stride + 1) * img.height);
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) !=
          Z_OK ||
      raw_len != raw.size()) {
    *error = "bad image data";
    return std::nullopt;
  }
  std::vector<uint8_t> prev(stride, 0), cur(stride);
  for (uint32_t y = 0; y < img.height; ++y) {
    const uint8_t* row = &raw[y * (stride + 1)];
    for (size_t x = 0; x < stride; ++x) {
      int a = x >= static_cast<size_t>(channels) ? cur[x - channels] : 0, b = prev[x];
      int c = x >= static_cast<size_t>(channels) ? prev[x - channels] : 0;
      int pred[] = {0, a, b, (a + b) / 2, Paeth(a, b, c)};
      cur[x] = static_cast<uint8_t>(row[1 + x] + (row[0] < 5 ? pred[row[0]] : 0));
    }
    for (uint32_t x = 0; x < img.width; ++x)
      img.pixels.push_back(cur[x * channels] << 16 | cur[x * channels + 1] << 8 |
                           cur[x * channels + 2]);
    prev = cur;
  }
  return img;
}

class HtmlChromiumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Chromium("").empty())
      GTEST_FAIL() << "chromium is not installed: run tools/setup.sh (Debian package chromium)";
    Result check = Kthcheck(std::string("check --scenario=") + kScenario +
                            " --variant=" + kVariant + " --format=json");
    report_ = json::parse(check.out, nullptr, false);
    ASSERT_FALSE(report_.is_discarded()) << check.err;
    ASSERT_EQ(report_["verdict"], "violation");
    html_ = TmpDir() + "/cex.html";
    Result r = Kthcheck("report " + report_["schedule"].get<std::string>() +
                        " --format=html --output=" + html_);
    ASSERT_EQ(r.status, 1) << r.err;
  }

  json report_;
  std::string html_;
};

TEST_F(HtmlChromiumTest, DomHasTheLanesAndTheFailingStep) {
  Result dom = Shell(Chromium("--dump-dom file://" + html_));
  ASSERT_EQ(dom.status, 0) << dom.err;
  const std::string& d = dom.out;
  EXPECT_NE(d.find("<header id=\"verdict\" class=\"violation\" data-oracle=\"lost_wakeup\">"),
            std::string::npos)
      << d.substr(0, 2000);
  std::set<std::string> tasks;
  for (const json& l : report_["trace"]) tasks.insert(l["task"].get<std::string>());
  EXPECT_EQ(tasks, (std::set<std::string>{"kthreadd", "main", "event_thread"}));
  for (const std::string& t : tasks) {
    EXPECT_TRUE(std::regex_search(
        d, std::regex("<div class=\"lane[^\"]*\" id=\"lane-\\d+\" data-task=\"" + t + "\">")))
        << "no lane for " << t;
    EXPECT_NE(d.find("<th class=\"lane-head\" data-task=\"" + t + "\">"), std::string::npos) << t;
  }
  size_t rows = 0;
  for (size_t at = 0; (at = d.find("<tr id=\"step-", at)) != std::string::npos; ++at) ++rows;
  EXPECT_EQ(rows, report_["trace"].size());
  const json& last = report_["trace"].back();
  std::smatch failing;
  ASSERT_TRUE(std::regex_search(
      d, failing,
      std::regex("<tr id=\"step-" + std::to_string(last["step"].get<int>()) +
                 "\" class=\"step[^\"]* failing\" data-task=\"event_thread\">.*</tr>")))
      << "no failing row for the last step";
  EXPECT_NE(failing.str().find(last["function"].get<std::string>() + ": "), std::string::npos)
      << failing.str();
  EXPECT_NE(d.find("<section id=\"legend\""), std::string::npos);
}

TEST_F(HtmlChromiumTest, ScreenshotIsNotBlank) {
  std::string png = TmpDir() + "/cex.png";
  Result shot = Shell(Chromium("--hide-scrollbars --window-size=1280,1000 --screenshot=" + png +
                               " file://" + html_));
  ASSERT_EQ(shot.status, 0) << shot.err;
  std::string error;
  std::optional<Image> img = DecodePng(Slurp(png), &error);
  ASSERT_TRUE(img) << error;
  EXPECT_EQ(img->width, 1280u);
  EXPECT_EQ(img->height, 1000u);
  std::map<uint32_t, size_t> colours;
  for (uint32_t p : img->pixels) ++colours[p];
  size_t background = 0;
  for (auto& [c, n] : colours) background = std::max(background, n);
  double other = 1.0 - static_cast<double>(background) / img->pixels.size();
  EXPECT_GE(colours.size(), 16u) << "too few colours: the page looks blank";
  EXPECT_GE(other, 0.05) << "95% or more of the screenshot is one colour";
  // The lanes' colours show: running (#2e7d32) and sleeping (#9e9e9e) bars.
  EXPECT_GT(colours[0x2e7d32], 100u) << "no running bar rendered";
  EXPECT_GT(colours[0x9e9e9e], 100u) << "no sleeping bar rendered";
}

}  // namespace
}  // namespace kt::testing
