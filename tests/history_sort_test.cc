// The builder's contact sort (engine/history/contact_sort.h) against plain
// std::sort references: the radix sort of items, and ContactOrder's packed
// keys, on random and adversarial keys (duplicates, equal ids with other
// dates, max uint64 ids, extreme dates), one chunk and many.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "engine/base/error.h"
#include "engine/history/contact_sort.h"
#include "engine/history/history.h"

namespace nudge::history {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

template <int W>
std::vector<SortItem<W>> radix(std::vector<SortItem<W>> v, std::size_t chunk_rows) {
  std::vector<SortItem<W>> tmp(v.size());
  SortItem<W>* r = radix_sort(v.data(), tmp.data(), v.size(), chunk_rows);
  return r == v.data() ? v : tmp;
}

template <int W>
std::vector<SortItem<W>> reference(std::vector<SortItem<W>> v) {
  std::sort(v.begin(), v.end(), [](const SortItem<W>& a, const SortItem<W>& b) {
    for (int w = W - 1; w >= 0; --w)
      if (a.key[w] != b.key[w]) return a.key[w] < b.key[w];
    return a.index < b.index;  // input order: the radix sort is stable
  });
  return v;
}

template <int W>
void expect_same(const std::vector<SortItem<W>>& got, const std::vector<SortItem<W>>& want, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    for (int w = 0; w < W; ++w) ASSERT_EQ(got[i].key[w], want[i].key[w]) << what << " item " << i << " word " << w;
    ASSERT_EQ(got[i].index, want[i].index) << what << " item " << i;
    ASSERT_EQ(got[i].profile, want[i].profile) << what << " item " << i;
  }
}

// Key generators: each returns key word w of item i.
template <int W>
std::vector<std::vector<SortItem<W>>> key_sets(std::size_t n) {
  std::mt19937_64 rng(n * 7 + W);
  std::vector<std::vector<SortItem<W>>> sets;
  auto make = [&](auto key) {
    std::vector<SortItem<W>> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (int w = 0; w < W; ++w) v[i].key[w] = key(i, w);
      v[i].index = static_cast<uint32_t>(i);
      v[i].profile = static_cast<uint32_t>(rng());
    }
    sets.push_back(std::move(v));
  };
  make([&](std::size_t, int) { return rng(); });                                  // random, full width
  make([&](std::size_t, int) { return rng() % 5; });                              // many duplicates
  make([&](std::size_t, int) { return uint64_t{42}; });                           // all equal: no pass
  make([&](std::size_t, int) { return rng() % 2 ? kMax : 0; });                   // extremes only
  make([&](std::size_t, int) { return kMax - rng() % 300; });                     // near max uint64
  make([&](std::size_t, int) { return (rng() % 3) << 56; });                      // only the top byte varies
  make([&](std::size_t i, int) { return static_cast<uint64_t>(n - i); });         // descending
  make([&](std::size_t i, int w) { return w == 0 ? rng() % 4 : (i / 3) % 17; });  // equal high, other low
  return sets;
}

template <int W>
void check_radix() {
  for (std::size_t n : {0, 1, 2, 3, 63, 64, 65, 1000, 4099, 70001}) {
    for (const auto& set : key_sets<W>(n)) {
      const auto want = reference(set);
      for (std::size_t chunk_rows : {std::size_t{1} << 16, std::size_t{7}, std::size_t{1000}}) {
        SCOPED_TRACE("n=" + std::to_string(n) + " chunk_rows=" + std::to_string(chunk_rows));
        expect_same(radix(set, chunk_rows), want, "radix_sort");
      }
    }
  }
}

TEST(HistorySort, RadixSortOneWordEqualsStdSort) { check_radix<1>(); }
TEST(HistorySort, RadixSortTwoWordsEqualsStdSort) { check_radix<2>(); }

// ContactOrder against std::sort of (customer_id, sent_on, action, position).
void check_order(const std::vector<RawContact>& rc, const std::vector<int32_t>& action, std::size_t chunk_rows) {
  const ContactOrder order(rc, action, chunk_rows);
  std::vector<uint32_t> want(rc.size());
  for (uint32_t i = 0; i < want.size(); ++i) want[i] = i;
  auto key = [&](uint32_t i) { return std::tuple(rc[i].customer_id, rc[i].sent_on, action[rc[i].profile], i); };
  std::sort(want.begin(), want.end(), [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
  ASSERT_EQ(order.size(), rc.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const RawContact& c = rc[want[i]];
    ASSERT_EQ(order.index(i), want[i]) << "position " << i;
    ASSERT_EQ(order.customer_id(i), c.customer_id) << "position " << i;
    ASSERT_EQ(order.sent_on(i), c.sent_on) << "position " << i;
    ASSERT_EQ(order.action(i), action[c.profile]) << "position " << i;
    ASSERT_EQ(order.profile(i), c.profile) << "position " << i;
    if (i > 0) {
      const RawContact& p = rc[want[i - 1]];
      const bool same =
          p.customer_id == c.customer_id && p.sent_on == c.sent_on && action[p.profile] == action[c.profile];
      ASSERT_EQ(order.same_triple(i), same) << "position " << i;
    }
  }
  bool common = true;
  for (const RawContact& c : rc) common = common && c.batch == rc.front().batch;
  if (rc.empty() || !common) EXPECT_FALSE(order.common_batch());
  else EXPECT_EQ(order.common_batch(), rc.front().batch);
}

TEST(HistorySort, ContactOrderEqualsStdSort) {
  std::mt19937_64 rng(11);
  std::vector<int32_t> action = {0, 3, 1, 2, 3, 0, 7};  // profile -> action code (several profiles per action)
  auto contacts = [&](std::size_t n, auto id, auto day, bool one_batch) {
    std::vector<RawContact> rc(n);
    for (std::size_t i = 0; i < n; ++i)
      rc[i] = {id(i), day(i), static_cast<uint32_t>(rng() % action.size()),
               one_batch ? 5u : static_cast<uint32_t>(rng() % 3 + 1), i + 1};
    return rc;
  };
  const int32_t d0 = 20'000;
  // Dates at the type's edges (two thirds) or near the epoch.
  auto extreme_day = [&](std::size_t i) {
    return i % 3 == 0   ? std::numeric_limits<int32_t>::min()
           : i % 3 == 1 ? std::numeric_limits<int32_t>::max()
                        : int32_t(rng() % 5);
  };
  const std::vector<std::vector<RawContact>> cases = {
      contacts(
          0, [](std::size_t) { return uint64_t{1}; }, [](std::size_t) { return 0; }, true),
      contacts(
          1, [](std::size_t) { return kMax; }, [](std::size_t) { return 0; }, true),
      // a day of decisions: shuffled ids, one day (narrow key)
      contacts(
          5000, [&](std::size_t) { return 6'000'000'000ull + rng() % 80'000; }, [&](std::size_t) { return d0; }, true),
      // duplicates and equal ids with other dates, several batches
      contacts(
          5000, [&](std::size_t) { return rng() % 40; }, [&](std::size_t) { return d0 + int32_t(rng() % 4); }, false),
      // ids over the whole uint64 range, 0 and max included (wide key)
      contacts(
          5000, [&](std::size_t i) { return i % 7 == 0    ? kMax
                                            : i % 11 == 0 ? 0
                                                          : rng(); },
          [&](std::size_t) { return d0 - int32_t(rng() % 400); }, false),
      // extreme dates: the date range takes 32 bits (narrow), then with ids 0 and near max (wide)
      contacts(
          3000, [&](std::size_t) { return kMax - rng() % 50; }, extreme_day, false),
      contacts(
          3000, [&](std::size_t i) { return i % 5 == 0 ? 0 : kMax - rng() % 50; }, extreme_day, false),
      // narrow key that uses all 64 bits: a 2^60 id range, 1 day bit, 3 action bits
      contacts(
          3000, [&](std::size_t) { return rng() >> 4; }, [&](std::size_t) { return d0 + int32_t(rng() % 2); }, true),
  };
  for (std::size_t k = 0; k < cases.size(); ++k)
    for (std::size_t chunk_rows : {std::size_t{1} << 16, std::size_t{13}}) {
      SCOPED_TRACE("case " + std::to_string(k) + " chunk_rows " + std::to_string(chunk_rows));
      check_order(cases[k], action, chunk_rows);
    }
}

// build() over more contacts than one chunk of its parallel dedupe (2^16
// rows a chunk), with repeats across batches and runs on chunk edges, against
// a plain map from (customer_id, sent_on, action) to the lowest batch.
TEST(HistorySort, BuildOfManyContactsEqualsPlainDedupe) {
  std::mt19937_64 rng(5);
  const char* actions[] = {"b_mail", "a_call", "c_sms"};
  const char* channel[] = {"mail", "call", "sms"};
  std::vector<ContactRecord> in;
  std::map<std::tuple<uint64_t, int32_t, std::string>, uint32_t> want;  // -> lowest batch
  for (std::size_t i = 0; i < 400'000; ++i) {
    ContactRecord c;
    c.customer_id = i % 9 == 0 ? std::numeric_limits<uint64_t>::max() - rng() % 3 : rng() % 120'000;
    c.sent_on = 20'000 + static_cast<int32_t>(rng() % 3);
    const std::size_t a = rng() % 3;
    c.action = actions[a];
    c.channel = channel[a];
    c.message_type = "commercial";
    c.cost = 1.5 * static_cast<double>(a);
    c.batch = static_cast<uint32_t>(rng() % 4 + 1);
    c.source = "s";
    auto [it, fresh] = want.try_emplace({c.customer_id, c.sent_on, c.action}, c.batch);
    if (!fresh) it->second = std::min(it->second, c.batch);
    in.push_back(std::move(c));
  }
  const History h = build_history(in, {});
  ASSERT_EQ(h.contacts(), want.size());
  auto it = want.begin();
  uint64_t members = 0;
  for (uint32_t m = 0; m < h.members(); ++m)
    for (uint32_t i : h.contacts_of(m)) {
      ASSERT_EQ(h.customer_ids()[m], std::get<0>(it->first)) << "contact " << i;
      ASSERT_EQ(h.sent_on()[i], std::get<1>(it->first)) << "contact " << i;
      ASSERT_EQ(h.actions().name(h.profile_of(i).action), std::get<2>(it->first)) << "contact " << i;
      ASSERT_EQ(h.contact_batch()[i], it->second) << "contact " << i;
      ++it;
      members += i == h.contacts_of(m).first;
    }
  EXPECT_EQ(members, h.members());

  // Two conflicting repeats: the error names the first in sorted order.
  in[10].customer_id = in[11].customer_id = 50;
  in[300'000].customer_id = in[300'001].customer_id = 7;
  for (std::size_t i : {10, 11, 300'000, 300'001}) {
    in[i].sent_on = 20'000;
    in[i].action = "a_call";
    in[i].channel = i % 2 ? "call" : "sms";
  }
  try {
    build_history(in, {});
    FAIL() << "a conflicting repeat was accepted";
  } catch (const Error& e) { EXPECT_NE(std::string(e.what()).find("customer_id 7,"), std::string::npos) << e.what(); }
}

}  // namespace
}  // namespace nudge::history
