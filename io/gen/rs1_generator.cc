// RS-1 generator (see rs1_generator.h for the shape and the guarantees).
//
// Structure: one member at a time in draw_member() from one random stream;
// the parallel driver hands each fixed chunk of rows its own stream, so a
// member's values depend only on (seed, chunk index, position in chunk).
// The distribution constants below are tuned so that the RS-1 triggers
// select the shares WORKLOAD.md gives; tests/io_generator_test.cc checks them.
#include "io/gen/rs1_generator.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace nudge {
namespace {

// ---- random numbers -------------------------------------------------------

// splitmix64 (Steele, Lea, Flood 2014; Vigna's reference code): seeds and hashes.
uint64_t splitmix64(uint64_t& state) noexcept {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
uint64_t mix64(uint64_t x) noexcept { return splitmix64(x); }

// xoshiro256** 1.0 (Blackman and Vigna, https://prng.di.unimi.it/).
class Rng {
 public:
  explicit Rng(uint64_t seed) noexcept {
    for (auto& w : s_) w = splitmix64(seed);
  }
  uint64_t next() noexcept {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe for log().
  double uniform_pos() noexcept { return 1.0 - uniform(); }
  bool bernoulli(double p) noexcept { return uniform() < p; }
  // Integer uniform in [0, n).
  int32_t below(int32_t n) noexcept { return static_cast<int32_t>(uniform() * n); }
  // Standard normal (Marsaglia's polar method; both values used).
  double normal() noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, q;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      q = u * u + v * v;
    } while (q >= 1.0 || q == 0.0);
    const double f = std::sqrt(-2.0 * std::log(q) / q);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }
  double lognormal(double median, double sigma) noexcept { return median * std::exp(sigma * normal()); }
  double exponential(double mean) noexcept { return -mean * std::log(uniform_pos()); }
  // floor(x + U): an integer with expectation x (x >= 0).
  int32_t stochastic_round(double x) noexcept { return static_cast<int32_t>(std::floor(x + uniform())); }
  // Poisson by multiplication (Knuth); fine for the small means used here.
  int32_t poisson(double mean) noexcept {
    const double limit = std::exp(-mean);
    int32_t k = 0;
    for (double p = uniform_pos(); p > limit; p *= uniform_pos()) ++k;
    return k;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// A keyed bijection of [0, n): a 4-round balanced Feistel network on the
// smallest even number of bits covering n, with cycle walking (Black and
// Rogaway 2002) to stay inside [0, n). Each call is independent: parallel-safe.
class Permutation {
 public:
  Permutation(uint64_t n, uint64_t key) noexcept : n_(n) {
    unsigned bits = 0;
    while (bits < 64 && (uint64_t{1} << bits) < n) ++bits;
    half_ = std::max(1u, (bits + 1) / 2);
    mask_ = (uint64_t{1} << half_) - 1;
    for (auto& k : keys_) k = splitmix64(key);
  }
  uint64_t operator()(uint64_t i) const noexcept {
    uint64_t x = i;
    do x = encrypt(x);
    while (x >= n_);  // terminates: i's own cycle passes through values < n
    return x;
  }

 private:
  uint64_t encrypt(uint64_t x) const noexcept {
    uint64_t l = x >> half_, r = x & mask_;
    for (uint64_t k : keys_) {
      const uint64_t f = mix64(r ^ k) & mask_;
      l = std::exchange(r, l ^ f);
    }
    return (l << half_) | r;
  }
  uint64_t n_;
  unsigned half_;
  uint64_t mask_;
  std::array<uint64_t, 4> keys_;
};

// ---- value helpers ----------------------------------------------------------

// Rounds to cents below 2^17 and to whole units above, capped below 2^24:
// exact in float32 and printed with at most 2 decimals (see the header).
float money(double x) noexcept {
  x = std::clamp(x, -16777215.0, 16777215.0);
  if (std::fabs(x) >= 131072.0) return static_cast<float>(std::nearbyint(x));
  return static_cast<float>(std::nearbyint(x * 100.0) / 100.0);
}

// ---- the member model --------------------------------------------------------

enum Tier { kStar = 0, kNova = 1, kAurora = 2 };

constexpr double kTierShare[2] = {0.20, 0.55};                 // cumulative: Star, Star+Nova
constexpr double kEnrollMin[3] = {1200, 500, 30};              // days
constexpr double kEnrollMean[3] = {2600, 1800, 1100};          // days above the minimum (exponential)
constexpr double kRateMedian[3] = {5.0, 2.6, 1.1};             // flights per 3 months
constexpr double kRateSigma = 0.75;                            // lognormal sigma of the flight rate
constexpr double kRateMax = 45;                                // cap: about one flight every two days
constexpr double kCountSigma = 0.48;                           // quarter-to-quarter variation at rate 0
constexpr double kDefectionShare = 0.03;                       // members in the defection wave
constexpr double kDefectionKeep = 0.30;                        // defectors fly U(0, 0.3) of their rate
constexpr double kLapsedShare = 0.10;                          // members who stopped flying months ago
constexpr double kLapsedRecent = 0.03, kLapsedEarlier = 0.25;  // their rate factor: last 6 / months 7-12
constexpr double kLapsedClv = 0.50;                            // and their value has faded
constexpr double kClvMedian[3] = {8000, 3800, 1500};           // CAD
constexpr double kSalaryMedian = 65000, kSalarySigma = 0.45, kSalaryNull = 0.25;
constexpr double kTripKmMedian = 1150, kTripKmSigma = 0.55;
constexpr double kTierGapMedian = 13000, kTierGapSigma = 1.05;  // points to the next tier
constexpr double kOptIn[4] = {0.85, 0.60, 0.70, 0.90};          // email, sms, phone, mail
constexpr double kNoPressure = 0.60;
constexpr double kCalamityRecent = 0.02, kCalamityOlder = 0.06;

// RS-1 contact costs: base(message type) x factor(channel), with the mix of
// types and channels a programme might send (cumulative weights).
constexpr double kTypeBase[4] = {2, 5, 10, 20};
constexpr double kTypeCum[4] = {0.40, 0.70, 0.97, 1.0};
constexpr double kChannelFactor[5] = {1.0, 1.0, 1.5, 1.5, 2.0};
constexpr double kChannelCum[5] = {0.50, 0.70, 0.85, 0.95, 1.0};

template <std::size_t N>
int pick(Rng& rng, const double (&cum)[N]) noexcept {
  const double u = rng.uniform();
  for (std::size_t i = 0; i + 1 < N; ++i)
    if (u < cum[i]) return static_cast<int>(i);
  return N - 1;
}

struct Member {
  int32_t tier, enroll_days;
  float clv, salary;
  bool salary_null;
  int32_t flights_3m, flights_prev_3m, flights_12m;
  float distance_12m, points_balance, points_to_next_tier;
  int32_t days_since_last_flight, days_to_birthday;
  bool opt_in[4];
  float pressure_used;
  int32_t contacts_30d, days_since_last_contact, days_since_calamity, opens_90d, clicks_90d, complaints_12m;
};

// Days since the most recent of k > 0 flights spread uniformly over a window
// of `width` days starting `start` days ago.
int32_t latest_of(Rng& rng, int32_t k, int32_t start, int32_t width) noexcept {
  const double newest = 1.0 - std::pow(rng.uniform(), 1.0 / k);  // min of k uniforms
  return start + std::min(width - 1, static_cast<int32_t>(newest * width));
}

Member draw_member(Rng& rng) noexcept {
  Member m{};
  const double u = rng.uniform();
  m.tier = u < kTierShare[0] ? kStar : u < kTierShare[1] ? kNova : kAurora;
  m.enroll_days = static_cast<int32_t>(std::min(15000.0, kEnrollMin[m.tier] + rng.exponential(kEnrollMean[m.tier])));

  // Activity: a member's usual rate drives three correlated quarters.
  const double rate = std::min(kRateMax, rng.lognormal(kRateMedian[m.tier], kRateSigma));
  const bool defector = rng.bernoulli(kDefectionShare);
  const bool lapsed = !defector && rng.bernoulli(kLapsedShare / (1.0 - kDefectionShare));
  const double recent = lapsed ? rate * kLapsedRecent : rate;
  const double count_sigma = kCountSigma / std::sqrt(1.0 + rate / 2.0);  // busier flyers vary less, relatively
  m.flights_prev_3m = rng.stochastic_round(recent * std::exp(count_sigma * rng.normal()));
  m.flights_3m = defector ? rng.stochastic_round(rate * kDefectionKeep * rng.uniform())
                          : rng.stochastic_round(recent * std::exp(count_sigma * rng.normal()));
  const int32_t earlier =  // months 7-12
      rng.stochastic_round(2.0 * rate * (lapsed ? kLapsedEarlier : 1.0) * std::exp(0.15 * rng.normal()));
  m.flights_12m = m.flights_3m + m.flights_prev_3m + earlier;
  if (m.flights_3m > 0) m.days_since_last_flight = latest_of(rng, m.flights_3m, 0, 91);
  else if (m.flights_prev_3m > 0) m.days_since_last_flight = latest_of(rng, m.flights_prev_3m, 91, 91);
  else if (earlier > 0) m.days_since_last_flight = latest_of(rng, earlier, 182, 183);
  else m.days_since_last_flight = 365 + static_cast<int32_t>(std::min(5000.0, rng.exponential(450)));

  const double trip_km = rng.lognormal(kTripKmMedian, kTripKmSigma);
  m.distance_12m = money(m.flights_12m * trip_km * std::exp(0.1 * rng.normal()));
  const double activity = std::log(rate / kRateMedian[m.tier]);  // member vs. tier median
  m.clv = money(kClvMedian[m.tier] * (lapsed ? kLapsedClv : 1.0) * std::exp(0.35 * activity + 0.6 * rng.normal()));
  m.salary_null = rng.bernoulli(kSalaryNull);
  const double salary = rng.lognormal(kSalaryMedian * (m.tier == kStar ? 1.05 : 1.0), kSalarySigma);
  m.salary = m.salary_null ? 0.0f : money(std::nearbyint(salary));
  m.points_balance = std::floor(0.6 * m.distance_12m + rng.lognormal(3.0 * m.enroll_days + 800, 0.9));
  m.points_to_next_tier = m.tier == kStar ? 0.0f : std::floor(1.0 + rng.lognormal(kTierGapMedian, kTierGapSigma));
  m.points_balance = money(m.points_balance);
  m.points_to_next_tier = money(m.points_to_next_tier);
  m.days_to_birthday = rng.below(366);
  for (int c = 0; c < 4; ++c) m.opt_in[c] = rng.bernoulli(kOptIn[c]);

  // Contact pressure this month: 0, or the sum of 1-4 contacts that fit the basket.
  double pressure = 0;
  if (!rng.bernoulli(kNoPressure)) {
    const int wanted = 1 + rng.below(4);
    for (int i = 0; i < wanted; ++i) {
      const double cost = kTypeBase[pick(rng, kTypeCum)] * kChannelFactor[pick(rng, kChannelCum)];
      if (pressure + cost > 25.0) continue;  // the basket would overflow: not sent
      pressure += cost;
      ++m.contacts_30d;
    }
  }
  m.pressure_used = static_cast<float>(pressure);  // multiples of 0.5: exact
  m.days_since_last_contact =
      m.contacts_30d > 0 ? rng.below(30) : 30 + static_cast<int32_t>(std::min(3000.0, rng.exponential(90)));
  const double c = rng.uniform();
  m.days_since_calamity = c < kCalamityRecent                    ? rng.below(7)
                          : c < kCalamityRecent + kCalamityOlder ? 7 + rng.below(359)
                                                                 : 9999;

  // Engagement: opens need e-mail consent; quiet flyers often ignore mail.
  const bool dormant = rng.bernoulli(m.flights_12m >= 6 ? 0.27 : 0.30);
  if (m.opt_in[0] && !dormant) {
    m.opens_90d = rng.stochastic_round(rng.lognormal(2.0 + 0.5 * std::min(rate, 10.0), 0.8));
    m.clicks_90d = rng.stochastic_round(m.opens_90d * 0.3 * rng.uniform());
  }
  m.complaints_12m = rng.poisson(0.05 + 0.004 * std::min(m.flights_12m, 40) + (defector ? 0.75 : 0.0));
  return m;
}

}  // namespace

Population generate_rs1(std::size_t members, uint64_t seed, int32_t as_of) {
  Population pop(members, as_of);
  const std::size_t n = members;
  auto alloc = [n](DataType t) { return Buffer::allocate(padded_rows(n) * type_width(t)); };
  struct Col {
    const char* name;
    DataType type;
    Buffer values;
  };
  std::vector<Col> cols;
  for (auto [name, type] :
       std::initializer_list<std::pair<const char*, DataType>>{{"customer_id", DataType::UInt64},
                                                               {"tier", DataType::Category},
                                                               {"enroll_days", DataType::Int32},
                                                               {"clv", DataType::Float32},
                                                               {"salary", DataType::Float32},
                                                               {"flights_3m", DataType::Int32},
                                                               {"flights_prev_3m", DataType::Int32},
                                                               {"flights_12m", DataType::Int32},
                                                               {"distance_12m", DataType::Float32},
                                                               {"points_balance", DataType::Float32},
                                                               {"points_to_next_tier", DataType::Float32},
                                                               {"days_since_last_flight", DataType::Int32},
                                                               {"days_to_birthday", DataType::Int32},
                                                               {"email_opt_in", DataType::Bool},
                                                               {"sms_opt_in", DataType::Bool},
                                                               {"phone_opt_in", DataType::Bool},
                                                               {"mail_opt_in", DataType::Bool},
                                                               {"pressure_used", DataType::Float32},
                                                               {"contacts_30d", DataType::Int32},
                                                               {"days_since_last_contact", DataType::Int32},
                                                               {"days_since_calamity", DataType::Int32},
                                                               {"opens_90d", DataType::Int32},
                                                               {"clicks_90d", DataType::Int32},
                                                               {"complaints_12m", DataType::Int32}})
    cols.push_back({name, type, alloc(type)});
  Buffer salary_validity = Buffer::allocate(padded_rows(n) / 8);

  auto* id = cols[0].values.mutable_as<uint64_t>();
  auto i32 = [&](int c) { return cols[c].values.mutable_as<int32_t>(); };
  auto f32 = [&](int c) { return cols[c].values.mutable_as<float>(); };
  auto b8 = [&](int c) { return cols[c].values.mutable_as<uint8_t>(); };
  int32_t *tier = i32(1), *enroll = i32(2), *f3 = i32(5), *fp = i32(6), *f12 = i32(7), *dslf = i32(11), *dtb = i32(12),
          *c30 = i32(18), *dslc = i32(19), *dsc = i32(20), *opens = i32(21), *clicks = i32(22), *compl12 = i32(23);
  float *clv = f32(3), *salary = f32(4), *dist = f32(8), *points = f32(9), *ptnt = f32(10), *pressure = f32(17);
  uint8_t* opt[4] = {b8(13), b8(14), b8(15), b8(16)};
  uint64_t* valid = salary_validity.mutable_as<uint64_t>();

  uint64_t key_state = seed ^ 0x5eed1d5ULL;
  const Permutation slot_of(n, splitmix64(key_state));
  const uint64_t jitter_key = splitmix64(key_state);

  const std::size_t chunks = (n + kGeneratorChunkRows - 1) / kGeneratorChunkRows;
  std::vector<std::size_t> chunk_nulls(chunks, 0);
  // One task per chunk: 16 Ki rows is a few milliseconds of work.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t chunk = r.begin(); chunk != r.end(); ++chunk) {
      uint64_t s = seed;
      Rng rng(splitmix64(s) ^ mix64(chunk + 0x243f6a8885a308d3ULL));
      const std::size_t begin = chunk * kGeneratorChunkRows, end = std::min(n, begin + kGeneratorChunkRows);
      std::size_t nulls = 0;
      for (std::size_t i = begin; i < end; ++i) {
        const uint64_t slot = slot_of(i);
        id[i] = 6'000'000'000ULL + 7 * slot + mix64(slot ^ jitter_key) % 7;
        const Member m = draw_member(rng);
        tier[i] = m.tier;
        enroll[i] = m.enroll_days;
        clv[i] = m.clv;
        salary[i] = m.salary;
        if (m.salary_null) ++nulls;
        else valid[i >> 6] |= uint64_t{1} << (i & 63);  // chunks own whole words: no race
        f3[i] = m.flights_3m;
        fp[i] = m.flights_prev_3m;
        f12[i] = m.flights_12m;
        dist[i] = m.distance_12m;
        points[i] = m.points_balance;
        ptnt[i] = m.points_to_next_tier;
        dslf[i] = m.days_since_last_flight;
        dtb[i] = m.days_to_birthday;
        for (int c = 0; c < 4; ++c) opt[c][i] = m.opt_in[c];
        pressure[i] = m.pressure_used;
        c30[i] = m.contacts_30d;
        dslc[i] = m.days_since_last_contact;
        dsc[i] = m.days_since_calamity;
        opens[i] = m.opens_90d;
        clicks[i] = m.clicks_90d;
        compl12[i] = m.complaints_12m;
      }
      chunk_nulls[chunk] = nulls;
    }
  });

  std::size_t salary_nulls = 0;
  for (std::size_t x : chunk_nulls) salary_nulls += x;
  for (auto& c : cols) {
    const bool is_salary = std::string_view(c.name) == "salary";
    Buffer validity = is_salary && salary_nulls > 0 ? salary_validity : Buffer();
    std::vector<std::string> dict;
    if (c.type == DataType::Category) dict.assign(std::begin(kRs1Tiers), std::end(kRs1Tiers));
    pop.add_column(Column::from_buffers(c.name, c.type, n, std::move(c.values), std::move(validity), std::move(dict),
                                        is_salary ? salary_nulls : 0));
  }
  pop.set_id_column(0);
  return pop;
}

}  // namespace nudge
