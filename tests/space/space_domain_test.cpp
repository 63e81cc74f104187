// Every primitive's bounds, distribution, quantisation and output type, and every validation
// error of a domain. Seeds are fixed, so the statistical checks are deterministic; their
// tolerances are still wide enough for any correct sampler (p < 0.001).
#include <cmath>
#include <set>

#include "space/space_test_support.hpp"

using namespace tune::space;
using namespace tune::space::test;

namespace {

constexpr std::size_t many = 20000;

std::vector<std::size_t> counts_of(const std::vector<json> &values, const std::vector<json> &categories) {
    std::vector<std::size_t> counts(categories.size(), 0);
    for (const json &value : values) {
        const auto found = std::find(categories.begin(), categories.end(), value);
        REQUIRE(found != categories.end());
        ++counts[static_cast<std::size_t>(found - categories.begin())];
    }
    return counts;
}

double normal_cdf(double x, double mean, double sd) { return 0.5 * std::erfc(-(x - mean) / (sd * std::sqrt(2.0))); }

} // namespace

TEST_CASE("space: uniform is a float from lower up to but excluding upper with a uniform distribution") {
    const auto values = draw({{"uniform", {2, 5}}}, many);
    for (const json &value : values) {
        REQUIRE(value.is_number_float());
        REQUIRE(value.get<double>() >= 2.0);
        REQUIRE(value.get<double>() < 5.0);
    }
    const auto numbers = as_doubles(values);
    CHECK(mean_of(numbers) == Approx(3.5).margin(0.04));
    CHECK(variance_of(numbers) == Approx(0.75).margin(0.03));
    CHECK(ks_statistic(numbers, [](double x) { return (x - 2.0) / 3.0; }) < ks_critical(many));
}

TEST_CASE("space: uniform with integer bounds still produces floats") {
    for (const json &value : draw({{"uniform", {0, 10}}}, 100)) CHECK(value.is_number_float());
}

TEST_CASE("space: quniform rounds to multiples of q and reaches upper with half weight at the ends") {
    const auto values = draw({{"quniform", {0, 10, 0.5}}}, many);
    std::vector<json> grid;
    std::vector<double> probabilities;
    for (int step = 0; step <= 20; ++step) {
        grid.push_back(step * 0.5);
        // U/q rounds to the ends from half a step only.
        probabilities.push_back(step == 0 || step == 20 ? 0.025 : 0.05);
    }
    for (const json &value : values) REQUIRE(value.is_number_float());
    const auto counts = counts_of(values, grid);
    CHECK(counts.front() > 0);
    CHECK(counts.back() > 0); // upper is inclusive once quantized
    CHECK(chi_square(counts, probabilities) < 45.3); // df 20, p 0.0001
}

TEST_CASE("space: quantized floats carry no rounding noise") {
    std::set<std::string> texts;
    for (const json &value : draw({{"quniform", {0, 1, 0.1}}}, 2000)) texts.insert(value.dump());
    CHECK(texts == std::set<std::string>{"0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"});

    for (const json &value : draw({{"qloguniform", {1e-4, 0.1, 5e-5}}}, 2000)) {
        const double number = value.get<double>();
        CHECK(number >= 1e-4);
        CHECK(number <= 0.1);
        // The shortest text of a multiple of 5e-5 has at most 5 decimals: 0.00035, not 0.00035000000000000005.
        CHECK(json::parse(value.dump()) == json(std::round(number * 1e5) / 1e5));
    }
}

TEST_CASE("space: quniform whose bounds are not multiples of q clips into the range") {
    // Ray Tune would produce 0.0 for draws below 0.25; the space keeps every value in [0.3, 1].
    std::set<std::string> seen;
    for (const json &value : draw({{"quniform", {0.3, 1.0, 0.5}}}, 2000)) seen.insert(value.dump());
    CHECK(seen == std::set<std::string>{"0.5", "1.0"});
}

TEST_CASE("space: quniform accepts q as a key") {
    for (const json &value : draw({{"quniform", {0, 4}}, {"q", 2}}, 200)) {
        const double number = value.get<double>();
        CHECK((number == 0.0 || number == 2.0 || number == 4.0));
    }
}

TEST_CASE("space: loguniform is uniform in log space below upper") {
    const auto values = draw({{"loguniform", {1e-4, 0.1}}}, many);
    std::vector<double> exponents;
    for (const json &value : values) {
        REQUIRE(value.is_number_float());
        REQUIRE(value.get<double>() >= 1e-4);
        REQUIRE(value.get<double>() < 0.1);
        exponents.push_back(std::log10(value.get<double>()));
    }
    CHECK(mean_of(exponents) == Approx(-2.5).margin(0.03));
    CHECK(ks_statistic(exponents, [](double e) { return (e + 4.0) / 3.0; }) < ks_critical(many));
}

TEST_CASE("space: loguniform with base 2 is log-uniform in base 2") {
    std::vector<double> exponents;
    for (const json &value : draw({{"loguniform", {1, 1024}}, {"base", 2}}, many)) {
        REQUIRE(value.get<double>() >= 1.0);
        REQUIRE(value.get<double>() < 1024.0);
        exponents.push_back(std::log2(value.get<double>()));
    }
    CHECK(ks_statistic(exponents, [](double e) { return e / 10.0; }) < ks_critical(many));
    // The base may also be positional.
    for (const json &value : draw({{"loguniform", {1, 1024, 2}}}, 100)) CHECK(value.get<double>() < 1024.0);
}

TEST_CASE("space: randn is normal with the given mean and sd defaulting to a standard normal") {
    const auto standard = as_doubles(draw({{"randn", json::array()}}, many));
    CHECK(mean_of(standard) == Approx(0.0).margin(0.04));
    CHECK(variance_of(standard) == Approx(1.0).margin(0.05));
    CHECK(ks_statistic(standard, [](double x) { return normal_cdf(x, 0.0, 1.0); }) < ks_critical(many));

    const auto shifted = as_doubles(draw({{"randn", {5, 2}}}, many));
    CHECK(mean_of(shifted) == Approx(5.0).margin(0.08));
    CHECK(std::sqrt(variance_of(shifted)) == Approx(2.0).margin(0.06));
    CHECK(ks_statistic(shifted, [](double x) { return normal_cdf(x, 5.0, 2.0); }) < ks_critical(many));

    const auto mean_only = as_doubles(draw({{"randn", {-3}}}, many));
    CHECK(mean_of(mean_only) == Approx(-3.0).margin(0.04));
}

TEST_CASE("space: qrandn is a normal rounded to multiples of q") {
    const auto values = draw({{"qrandn", {0, 1, 0.1}}}, many);
    for (const json &value : values) {
        REQUIRE(value.is_number_float());
        const double tenths = value.get<double>() * 10.0;
        REQUIRE(std::abs(tenths - std::round(tenths)) < 1e-9);
        REQUIRE(value.dump().size() <= 4); // "-2.3", never "-2.3000000000000003"
    }
    CHECK(mean_of(as_doubles(values)) == Approx(0.0).margin(0.04));
    CHECK(variance_of(as_doubles(values)) == Approx(1.0 + 0.01 / 12).margin(0.05));
}

TEST_CASE("space: randint is a uniform integer with upper excluded") {
    const auto values = draw({{"randint", {2, 9}}}, 14000);
    for (const json &value : values) REQUIRE(value.is_number_integer());
    const auto counts = counts_of(values, {2, 3, 4, 5, 6, 7, 8});
    CHECK(chi_square(counts, std::vector<double>(7, 1.0 / 7)) < 27.9); // df 6, p 0.0001
    CHECK(draw({{"randint", {0, 1}}}, 50) == std::vector<json>(50, 0));
}

TEST_CASE("space: randint handles negative bounds") {
    const auto counts = counts_of(draw({{"randint", {-3, 0}}}, 3000), {-3, -2, -1});
    CHECK(chi_square(counts, std::vector<double>(3, 1.0 / 3)) < 18.4);
}

TEST_CASE("space: qrandint includes upper and rounds to multiples of q") {
    const auto values = draw({{"qrandint", {0, 100, 5}}}, many);
    std::vector<json> multiples;
    std::vector<double> probabilities;
    for (int multiple = 0; multiple <= 100; multiple += 5) {
        multiples.push_back(multiple);
        // Of the 101 integers, 0 and 100 collect 3 each (0..2, 98..100), the others 5.
        probabilities.push_back((multiple == 0 || multiple == 100 ? 3.0 : 5.0) / 101.0);
    }
    for (const json &value : values) REQUIRE(value.is_number_integer());
    const auto counts = counts_of(values, multiples);
    CHECK(counts.back() > 0);
    CHECK(chi_square(counts, probabilities) < 45.3); // df 20, p 0.0001
}

TEST_CASE("space: qrandint defaults q to 1 and includes upper") {
    const auto counts = counts_of(draw({{"qrandint", {1, 10}}}, 10000), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    CHECK(chi_square(counts, std::vector<double>(10, 0.1)) < 33.7); // df 9
}

TEST_CASE("space: qrandint rounds ties to the even multiple as numpy.round does") {
    // 0..10 over q 4: 2 (0.5 steps) goes to 0 and 6 and 10 (1.5 and 2.5) go to 8.
    const auto counts = counts_of(draw({{"qrandint", {0, 10, 4}}}, 11000), {0, 4, 8});
    CHECK(chi_square(counts, {3.0 / 11, 3.0 / 11, 5.0 / 11}) < 18.4);
}

TEST_CASE("space: qrandint clips into the multiples of q within the bounds") {
    // Ray Tune would round 1 to 0 and 10 to 9 or 12; here only 3, 6 and 9 lie in [1, 10].
    const auto counts = counts_of(draw({{"qrandint", {1, 10, 3}}}, 3000), {3, 6, 9});
    for (std::size_t count : counts) CHECK(count > 0);
}

TEST_CASE("space: lograndint is an integer below upper spread evenly over decades") {
    const auto values = draw({{"lograndint", {1, 1000}}}, 15000);
    std::vector<std::size_t> decades(3, 0);
    for (const json &value : values) {
        REQUIRE(value.is_number_integer());
        const auto number = value.get<std::int64_t>();
        REQUIRE(number >= 1);
        REQUIRE(number < 1000);
        ++decades[number < 10 ? 0 : number < 100 ? 1 : 2];
    }
    CHECK(chi_square(decades, {1.0 / 3, 1.0 / 3, 1.0 / 3}) < 18.4);
    CHECK(draw({{"lograndint", {1, 2}}}, 50) == std::vector<json>(50, 1));
}

TEST_CASE("space: lograndint accepts a base") {
    for (const json &value : draw({{"lograndint", {1, 1024}}, {"base", 2}}, 2000)) {
        CHECK(value.get<std::int64_t>() >= 1);
        CHECK(value.get<std::int64_t>() < 1024);
    }
}

TEST_CASE("space: qlograndint includes upper and stays on multiples of q within the bounds") {
    // floor(loguniform[1, 11)) is 1..10; 1..7 round (and clip) to 5, 8..10 to 10.
    const auto values = draw({{"qlograndint", {1, 10, 5}}}, 10000);
    for (const json &value : values) REQUIRE(value.is_number_integer());
    const auto counts = counts_of(values, {5, 10});
    const double p_ten = std::log(11.0 / 8.0) / std::log(11.0);
    CHECK(chi_square(counts, {1.0 - p_ten, p_ten}) < 15.1); // df 1, p 0.0001

    for (const json &value : draw({{"qlograndint", {1, 1000, 5}}, {"base", 2}}, 2000)) {
        CHECK(value.get<std::int64_t>() % 5 == 0);
        CHECK(value.get<std::int64_t>() >= 5);
        CHECK(value.get<std::int64_t>() <= 1000);
    }
}

TEST_CASE("space: choice picks each category uniformly and copies it as given") {
    const auto counts = counts_of(draw({{"choice", {2, 4, 8, 16}}}, 8000), {2, 4, 8, 16});
    CHECK(chi_square(counts, std::vector<double>(4, 0.25)) < 21.1); // df 3

    const json mixed = {"adam", 1.5, true, {{"layers", 2}}, {1, 2}};
    std::set<std::string> seen;
    for (const json &value : draw({{"choice", mixed}}, 500)) seen.insert(value.dump());
    std::set<std::string> expected;
    for (const json &value : mixed) expected.insert(value.dump());
    CHECK(seen == expected);
}

TEST_CASE("space: Domain reports its primitive and type and values") {
    const Domain randint = Domain::parse({{"randint", {2, 9}}}, Primitive::randint, "x");
    CHECK(randint.primitive() == Primitive::randint);
    CHECK(randint.is_integer());
    CHECK_FALSE(randint.is_categorical());
    CHECK(randint.values().empty());

    const Domain choice = Domain::parse({{"choice", {1, 2}}}, Primitive::choice, "x");
    CHECK(choice.is_categorical());
    CHECK(choice.values() == std::vector<json>{1, 2});
    CHECK_FALSE(Domain::parse({{"uniform", {0, 1}}}, Primitive::uniform, "x").is_integer());
}

TEST_CASE("space: domain violations name the bound or the step or the categories") {
    const auto violation = [](const json &domain, const json &value) {
        const auto primitive = domain_primitive(domain, "x");
        REQUIRE(primitive);
        return Domain::parse(domain, *primitive, "x").violation(value);
    };
    CHECK_FALSE(violation({{"uniform", {0, 1}}}, 0.0));
    CHECK(violation({{"uniform", {0, 1}}}, 1.0) == "expected a number in [0.0, 1.0), found 1.0");
    CHECK(violation({{"uniform", {0, 1}}}, "0.5") == "expected a number, found \"0.5\"");
    CHECK_FALSE(violation({{"randint", {2, 9}}}, 8));
    CHECK(violation({{"randint", {2, 9}}}, 9) == "expected an integer in [2, 9), found 9");
    CHECK(violation({{"randint", {2, 9}}}, 3.0) == "expected an integer, found 3.0");
    CHECK_FALSE(violation({{"qrandint", {0, 100, 5}}}, 100));
    CHECK(violation({{"qrandint", {0, 100, 5}}}, 7) == "expected a multiple of q 5 in [0, 100], found 7");
    CHECK_FALSE(violation({{"quniform", {0, 1, 0.1}}}, 0.3));
    CHECK_FALSE(violation({{"quniform", {0, 1, 0.1}}}, 0.30000000000000004));
    CHECK(violation({{"quniform", {0, 1, 0.1}}}, 0.35) == "expected a multiple of q 0.1 in [0.0, 1.0], found 0.35");
    CHECK(violation({{"quniform", {0, 1, 0.1}}}, 1.1));
    CHECK_FALSE(violation({{"qrandn", {0, 1, 0.5}}}, -7.5));
    CHECK(violation({{"qrandn", {0, 1, 0.5}}}, 0.2) == "expected a multiple of q 0.5, found 0.2");
    CHECK_FALSE(violation({{"randn", json::array()}}, 1e6));
    CHECK(violation({{"loguniform", {1e-4, 0.1}}}, 0.0));
    CHECK(violation({{"lograndint", {1, 1000}}}, 1000));
    CHECK_FALSE(violation({{"qlograndint", {1, 1000, 5}}}, 1000));
    CHECK_FALSE(violation({{"choice", {"a", "b"}}}, "b"));
    CHECK(violation({{"choice", {"a", "b"}}}, "c") == "expected one of [\"a\",\"b\"], found \"c\"");
    CHECK_FALSE(violation({{"grid_search", {1, 2}}}, 2));
}

TEST_CASE("space: each numeric domain rejects bad arguments with what it expected and found") {
    struct Case {
        json domain;
        std::vector<std::string> parts;
    };
    const std::vector<Case> cases{
        {{{"uniform", {1, 0}}}, {"uniform needs lower < upper", "found lower 1.0 and upper 0.0"}},
        {{{"uniform", {1, 1}}}, {"lower < upper"}},
        {{{"uniform", {0}}}, {"uniform is missing upper", "expected [lower, upper]", "found [0]"}},
        {{{"uniform", {0, 1, 2}}}, {"uniform expects [lower, upper], found 3 arguments [0,1,2]"}},
        {{{"uniform", {0, "1"}}}, {"uniform argument upper must be a number, found \"1\""}},
        {{{"uniform", {0, true}}}, {"must be a number, found true"}},
        {{{"uniform", 5}}, {"uniform expects an array [lower, upper], found 5"}},
        {{{"quniform", {0, 1}}}, {"quniform is missing q", "(or 'q' as a key)"}},
        {{{"quniform", {0, 1, 0}}}, {"quniform needs q > 0, found q 0.0"}},
        {{{"quniform", {0, 1, 0.5}}, {"q", 0.5}}, {"quniform gets q twice: as argument 3 and as key 'q'"}},
        {{{"quniform", {0.1, 0.2, 0.5}}}, {"quniform has no multiple of q 0.5 in [0.1, 0.2]"}},
        {{{"loguniform", {0, 1}}}, {"loguniform needs lower > 0", "found lower 0.0"}},
        {{{"loguniform", {-1, 1}}}, {"lower > 0"}},
        {{{"loguniform", {1, 10}}, {"base", 1}}, {"needs a base > 0 and != 1, found base 1.0"}},
        {{{"loguniform", {1, 10, -2}}}, {"base > 0", "found base -2.0"}},
        {{{"qloguniform", {1e-4, 0.1}}}, {"qloguniform is missing q"}},
        {{{"qloguniform", {1e-4, 0.1, -1}}}, {"q > 0"}},
        {{{"randn", {0, 0}}}, {"randn needs sd > 0, found sd 0.0"}},
        {{{"randn", {0, 1, 2}}}, {"randn expects [], [mean] or [mean, sd], found 3 arguments"}},
        {{{"qrandn", {0, 1}}}, {"qrandn is missing q"}},
        {{{"randint", {2, 2}}}, {"randint needs lower < upper, found lower 2 and upper 2"}},
        {{{"randint", {2.5, 9}}}, {"randint argument lower must be an integer within +-2^53, found 2.5"}},
        {{{"randint", {0, 1e3}}}, {"must be an integer", "found 1000.0"}},
        {{{"randint", {0, 9007199254740993LL}}}, {"within +-2^53"}},
        {{{"qrandint", {3, 2}}}, {"qrandint needs lower <= upper, found lower 3 and upper 2"}},
        {{{"qrandint", {0, 10, 0}}}, {"qrandint needs q > 0, found q 0"}},
        {{{"qrandint", {0, 10, 0.5}}}, {"argument q must be an integer"}},
        {{{"qrandint", {1, 2, 5}}}, {"qrandint has no multiple of q 5 in [1, 2]"}},
        {{{"lograndint", {0, 10}}}, {"lograndint needs lower > 0"}},
        {{{"lograndint", {5, 5}}}, {"lograndint needs lower < upper"}},
        {{{"lograndint", {1, 10}}, {"base", 0}}, {"base > 0"}},
        {{{"qlograndint", {1, 10}}}, {"qlograndint is missing q"}},
        {{{"qlograndint", {10, 1, 2}}}, {"qlograndint needs lower <= upper"}},
    };
    for (const Case &c : cases) require_space_error({{"x", c.domain}}, "x", c.parts);
}

TEST_CASE("space: categorical domains reject an empty or non-array value list") {
    require_space_error({{"x", {{"choice", json::array()}}}}, "x",
                        {"choice expects a non-empty array of categories, found []"});
    require_space_error({{"x", {{"choice", 3}}}}, "x", {"choice expects a non-empty array of categories, found 3"});
    require_space_error({{"x", {{"grid_search", json::array()}}}}, "x",
                        {"grid_search expects a non-empty array of values, found []"});
}

TEST_CASE("space: a domain with a key its primitive does not take is an error and not a table") {
    require_space_error({{"x", {{"uniform", {0, 1}}, {"base", 2}}}}, "x",
                        {"unexpected key 'base' next to 'uniform'", "a uniform domain takes no other keys"});
    require_space_error({{"x", {{"loguniform", {1, 10}}, {"q", 2}}}}, "x",
                        {"unexpected key 'q'", "a loguniform domain takes only 'base' as other keys"});
    require_space_error({{"x", {{"qloguniform", {1, 10, 1}}, {"scale", 2}}}}, "x",
                        {"unexpected key 'scale'", "takes only 'q' and 'base' as other keys"});
    require_space_error({{"x", {{"uniform", {0, 1}}, {"choice", {1}}}}}, "x",
                        {"two primitive keys, 'choice' and 'uniform'"});
}
