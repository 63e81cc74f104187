// The JUnit XML report: counts, one testcase per check, failures with escaped text.
#include <catch2/catch.hpp>

#include "core/conformance/junit_report.hpp"

using Catch::Matchers::Contains;
using tune::conformance::CheckResult;
using tune::conformance::junit_xml;

TEST_CASE("junit: library checks are classed under the file, plugin checks under the id", "[conformance]") {
    std::vector<CheckResult> results = {
        {"", "load", true, "loads", "", 0.01},
        {"org.example.x", "trainable.save_restore", false, "expected <1> & got \"2\"", "it's\x01 dead\n", 0.25},
    };
    std::string xml = junit_xml("/p/lib x.so", results);
    CHECK_THAT(xml, Contains("<testsuites name=\"tune check-plugin\" tests=\"2\" failures=\"1\""));
    CHECK_THAT(xml, Contains("<testsuite name=\"/p/lib x.so\" tests=\"2\" failures=\"1\""));
    CHECK_THAT(xml, Contains("<testcase classname=\"lib x.so\" name=\"load\" time=\"0.010\">"));
    CHECK_THAT(xml, Contains("<testcase classname=\"org.example.x\" name=\"trainable.save_restore\" time=\"0.250\">"));
    CHECK_THAT(xml, Contains("<failure message=\"expected &lt;1&gt; &amp; got &quot;2&quot;\""));
    // The plugin's output follows the reason; characters XML 1.0 forbids are dropped.
    CHECK_THAT(xml, Contains("plugin output:\nit&apos;s dead\n</failure>"));
}
