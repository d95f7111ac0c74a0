// nudge._nudge._Campaign / _Model / _Sweep: load campaigns and models, sweep a
// population (whole, or a part for nudge.dask and its exact merge), explain.
#include <pybind11/stl.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <optional>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/decision_writer.h"
#include "engine/decide/explain.h"
#include "engine/decide/sweep.h"
#include "engine/decide/sweep_parts.h"
#include "engine/optimise/optimise.h"
#include "engine/policy/history_policy.h"
#include "engine/score/model.h"
#include "io/history/history_store.h"
#include "tools/python/src/bindings.h"

namespace nudge::py {
namespace {

using decide::ActionFunnel;
using decide::Campaign;
using decide::Decision;
using decide::SweepResult;

constexpr int kFunnelFields = 11;  // fired .. in_top_k, control, in ActionFunnel's order

struct PyModel {
  std::shared_ptr<const score::Model> model;
};

struct PyCampaign {
  std::shared_ptr<const Campaign> c;
  std::shared_ptr<const score::Model> model;  // loaded at the first sweep, then reused
  std::mutex model_mutex;

  std::shared_ptr<const score::Model> churn_model() {
    std::lock_guard lock(model_mutex);
    if (!model && c->model_path) model = score::load_model(*c->model_path);
    return model;
  }
};

struct PySweep {
  std::shared_ptr<const Campaign> c;
  SweepResult r;
  std::vector<std::string> warnings;
  std::optional<std::string> optimise_json;  // [arbitration] mode = "optimise": the report (optimise.h)
};

pb::array_t<uint64_t> funnel_array(const std::vector<ActionFunnel>& f) {
  pb::array_t<uint64_t> out({static_cast<pb::ssize_t>(f.size()), static_cast<pb::ssize_t>(kFunnelFields)});
  auto o = out.mutable_unchecked<2>();
  for (std::size_t a = 0; a < f.size(); ++a) {
    const uint64_t v[kFunnelFields] = {f[a].fired,    f[a].consent,  f[a].suppression, f[a].frequency_cap,
                                       f[a].priority, f[a].budget,   f[a].member_max,  f[a].capacity,
                                       f[a].kept,     f[a].in_top_k, f[a].control};
    for (int k = 0; k < kFunnelFields; ++k) o(a, k) = v[k];
  }
  return out;
}

std::vector<ActionFunnel> funnel_from(const pb::array_t<uint64_t>& a, std::size_t actions) {
  if (a.ndim() != 2 || static_cast<std::size_t>(a.shape(0)) != actions || a.shape(1) != kFunnelFields)
    throw_usage("a part's funnel must be an array of " + std::to_string(actions) + " x 11 counters");
  auto v = a.unchecked<2>();
  std::vector<ActionFunnel> f(actions);
  for (std::size_t i = 0; i < actions; ++i) {
    const auto x = static_cast<pb::ssize_t>(i);
    f[i] = {v(x, 0), v(x, 1), v(x, 2), v(x, 3), v(x, 4), v(x, 5), v(x, 6), v(x, 7), v(x, 8), v(x, 9), v(x, 10)};
  }
  return f;
}

pb::dict times_dict(const decide::SweepTimes& t) {
  pb::dict d;
  d["pass_wall"] = t.pass_wall, d["evaluate_cpu"] = t.evaluate_cpu, d["gates_cpu"] = t.gates_cpu;
  d["score_cpu"] = t.score_cpu, d["walk_cpu"] = t.walk_cpu, d["rank_wall"] = t.rank_wall;
  d["history_cpu"] = t.history_cpu;
  return d;
}

decide::SweepTimes times_from(const pb::dict& d) {
  decide::SweepTimes t;
  t.pass_wall = d["pass_wall"].cast<double>(), t.evaluate_cpu = d["evaluate_cpu"].cast<double>();
  t.gates_cpu = d["gates_cpu"].cast<double>(), t.score_cpu = d["score_cpu"].cast<double>();
  t.walk_cpu = d["walk_cpu"].cast<double>(), t.rank_wall = d["rank_wall"].cast<double>();
  t.history_cpu = d["history_cpu"].cast<double>();
  return t;
}

// The ranked decisions as columns (the CLI's numeric columns; names come from the campaign).
pb::dict decision_arrays(const PySweep& s) {
  const auto& ranked = s.r.ranked;
  const std::size_t n = ranked.size();
  std::vector<int64_t> rank(n);
  std::vector<uint64_t> id(n);
  std::vector<int32_t> action(n);
  std::vector<double> priority(n), cost(n), left(n), churn(n);
  std::vector<bool> control(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Decision& d = ranked[i];
    rank[i] = static_cast<int64_t>(i + 1), id[i] = d.customer_id, action[i] = d.action;
    priority[i] = d.priority, cost[i] = s.c->cost(s.c->actions[d.action]), left[i] = d.budget_left;
    churn[i] = d.churn, control[i] = d.control;
  }
  pb::dict out;
  out["rank"] = to_numpy(std::move(rank));
  out["customer_id"] = to_numpy(std::move(id));
  out["action"] = to_numpy(std::move(action));
  out["priority"] = to_numpy(std::move(priority));
  out["cost"] = to_numpy(std::move(cost));
  out["budget_left"] = to_numpy(std::move(left));
  out["churn"] = to_numpy(std::move(churn));
  pb::array_t<bool> ctl(static_cast<pb::ssize_t>(n));
  for (std::size_t i = 0; i < n; ++i) ctl.mutable_data()[i] = control[i];
  out["control"] = ctl;
  return out;
}

decide::BoundCampaign bind(PyCampaign& pc, const Population& pop, std::vector<std::string>& warnings) {
  auto model = pc.churn_model();
  auto bound = decide::BoundCampaign::bind(*pc.c, pop, model);
  warnings = bound.expressions().warnings();
  return bound;
}

// `fn(bound, options)` with the campaign bound as `nudge sweep [--history HIST]`
// binds it: policies and dialogues from the history folder (empty: none) at the
// population's as_of. Runs in the caller's thread (GIL released by the caller).
template <typename Fn>
auto with_history(PyCampaign& pc, const Population& pop, const std::string& history_dir, decide::SweepOptions opt,
                  std::vector<std::string>& warnings, Fn fn) {
  std::unique_ptr<policy::HistoryPolicy> hp;
  if (!history_dir.empty())
    hp = std::make_unique<policy::HistoryPolicy>(*pc.c, pop, history::open_history(history_dir), pop.as_of());
  auto bound = bind(pc, hp ? hp->population() : pop, warnings);
  opt.inputs = hp.get();
  std::optional<dialogue::BoundDialogues> dialogues;
  if (!pc.c->dialogues.empty())
    dialogues = hp ? dialogue::BoundDialogues::bind(bound, &hp->history(), hp->member_map().data(), hp->as_of())
                   : dialogue::BoundDialogues::bind(bound, nullptr, nullptr, pop.as_of());
  if (dialogues) opt.dialogues = &*dialogues;
  return fn(bound, opt);
}

std::optional<std::size_t> top_k_of(int top_k) {
  if (top_k < 0) throw_usage("top_k must be positive");
  return top_k > 0 ? std::optional<std::size_t>(top_k) : std::nullopt;
}

}  // namespace

void bind_campaign(pb::module_& m) {
  pb::class_<PyModel>(m, "_Model")
      .def_static(
          "load",
          [](const std::string& path) {
            return PyModel{run_released(0, [&] { return std::shared_ptr<score::Model>(score::load_model(path)); })};
          })
      .def("describe", [](const PyModel& pm) { return pm.model->describe(); })
      .def("score", [](const PyModel& pm, const PopPtr& pop, int threads) {
        return to_numpy(run_released(threads, [&] {
          auto bound = pm.model->bind(*pop);
          return score::score_all(*bound, pop->rows());
        }));
      });

  pb::class_<PySweep>(m, "_Sweep")
      .def_property_readonly("members", [](const PySweep& s) { return s.r.members; })
      .def_property_readonly("members_with_candidates", [](const PySweep& s) { return s.r.members_with_candidates; })
      .def_property_readonly("decision_count", [](const PySweep& s) { return s.r.decisions; })
      .def_property_readonly("ranked_count", [](const PySweep& s) { return s.r.ranked.size(); })
      .def_property_readonly("warnings", [](const PySweep& s) { return s.warnings; })
      .def_property_readonly("times", [](const PySweep& s) { return times_dict(s.r.times); })
      .def_property_readonly(
          "optimise_json",
          [](const PySweep& s) -> pb::object { return s.optimise_json ? pb::cast(*s.optimise_json) : pb::none(); })
      .def("arrays", &decision_arrays)
      .def("funnel", [](const PySweep& s) { return funnel_array(s.r.funnel); });

  pb::class_<PyCampaign, std::shared_ptr<PyCampaign>>(m, "_Campaign")
      .def_static("load",
                  [](const std::string& path) {
                    auto pc = std::make_shared<PyCampaign>();
                    pc->c = std::make_shared<const Campaign>(decide::load_campaign(path));
                    return pc;
                  })
      .def_static("parse",
                  [](const std::string& text, const std::string& source, const std::string& base_dir) {
                    auto pc = std::make_shared<PyCampaign>();
                    pc->c = std::make_shared<const Campaign>(decide::parse_campaign(text, source, base_dir));
                    return pc;
                  })
      .def_property_readonly("name", [](const PyCampaign& p) { return p.c->name; })
      .def_property_readonly("description", [](const PyCampaign& p) { return p.c->description; })
      .def_property_readonly("top_k", [](const PyCampaign& p) { return p.c->top_k; })
      .def_property_readonly("max_decisions_per_member",
                             [](const PyCampaign& p) { return p.c->max_decisions_per_member; })
      .def_property_readonly("model_path",
                             [](const PyCampaign& p) -> pb::object {
                               return p.c->model_path ? pb::cast(p.c->model_path->string()) : pb::none();
                             })
      .def_property_readonly("channels",
                             [](const PyCampaign& p) {
                               pb::list out;
                               for (const auto& ch : p.c->channels)
                                 out.append(pb::make_tuple(ch.name, ch.consent.name, ch.factor, ch.capacity));
                               return out;
                             })
      .def_property_readonly(
          "actions",
          [](const PyCampaign& p) {
            pb::list out;
            for (const auto& a : p.c->actions)
              out.append(pb::make_tuple(a.name, p.c->channels[a.channel].name, p.c->message_types[a.message_type].name,
                                        a.trigger.text, a.brand, p.c->cost(a), a.priority_text,
                                        decide::trigger_column_text(a.name, a.trigger.text)));
            return out;
          })
      .def(
          "sweep",
          [](PyCampaign& pc, const PopPtr& pop, int threads, int top_k, const std::string& history_dir) {
            auto s = std::make_unique<PySweep>();
            s->c = pc.c;
            decide::SweepOptions opt;
            opt.top_k = top_k_of(top_k);
            // As `nudge sweep [--history HIST]`; the campaign's [arbitration] mode decides greedy or optimised.
            auto arbitrated = run_released(threads, [&] {
              return with_history(pc, *pop, history_dir, opt, s->warnings, [](const auto& bound, const auto& o) {
                return optimise::run_arbitrated_sweep(bound, o);
              });
            });
            s->r = std::move(arbitrated.sweep);
            if (arbitrated.optimise) s->optimise_json = optimise::optimise_report_json(*arbitrated.optimise);
            return s;
          },
          pb::arg("pop"), pb::arg("threads"), pb::arg("top_k"), pb::arg("history") = std::string())
      .def(
          "explain",
          [](PyCampaign& pc, const PopPtr& pop, uint64_t customer, int threads) {
            return run_released(threads, [&] {
              std::vector<std::string> w;
              auto bound = bind(pc, *pop, w);
              auto row = decide::find_customer(*pop, customer);
              if (!row) throw_invalid_input("customer " + std::to_string(customer) + " is not in the population");
              decide::SweepOptions opt;
              opt.trace_row = *row;
              return decide::format_explanation(bound, decide::run_sweep(bound, opt));
            });
          },
          pb::arg("pop"), pb::arg("customer_id"), pb::arg("threads"))
      .def(
          "sweep_part",
          [](PyCampaign& pc, const PopPtr& pop, int threads, int top_k, int64_t population_members,
             const std::string& history_dir) {
            std::vector<std::string> w;
            decide::SweepOptions opt;
            opt.top_k = top_k_of(top_k);
            decide::SweepPartOptions po;
            if (population_members >= 0) po.population_members = static_cast<std::size_t>(population_members);
            decide::SweepPart part = run_released(threads, [&] {
              return with_history(pc, *pop, history_dir, opt, w, [&](const auto& bound, const auto& o) {
                return decide::run_sweep_part(bound, o, po);
              });
            });
            pb::dict d;
            d["members"] = part.members;
            d["members_with_candidates"] = part.members_with_candidates;
            d["funnel"] = funnel_array(part.funnel);
            pb::array_t<uint8_t> bytes(static_cast<pb::ssize_t>(part.decisions.size() * sizeof(Decision)));
            if (!part.decisions.empty())
              std::memcpy(bytes.mutable_data(), part.decisions.data(), part.decisions.size() * sizeof(Decision));
            d["decisions"] = bytes;
            d["decision_bytes"] = sizeof(Decision);
            d["capacity_members"] = part.capacity_members;
            pb::array_t<uint8_t> dlg(
                static_cast<pb::ssize_t>(part.dialogues.size() * sizeof(dialogue::DialogueFunnel)));
            if (!part.dialogues.empty())
              std::memcpy(dlg.mutable_data(), part.dialogues.data(),
                          part.dialogues.size() * sizeof(dialogue::DialogueFunnel));
            d["dialogues"] = dlg;
            d["times"] = times_dict(part.times);
            d["warnings"] = w;
            return d;
          },
          pb::arg("pop"), pb::arg("threads"), pb::arg("top_k"), pb::arg("population_members") = -1,
          pb::arg("history") = std::string())
      .def(
          "merge_parts",
          [](PyCampaign& pc, const pb::list& dicts, int top_k) {
            std::vector<decide::SweepPart> parts;
            auto s = std::make_unique<PySweep>();
            s->c = pc.c;
            for (pb::handle h : dicts) {
              auto d = h.cast<pb::dict>();
              if (d["decision_bytes"].cast<std::size_t>() != sizeof(Decision))
                throw_usage("a part was made by a nudge with another decision layout");
              decide::SweepPart p;
              p.members = d["members"].cast<std::size_t>();
              p.members_with_candidates = d["members_with_candidates"].cast<std::size_t>();
              p.funnel = funnel_from(d["funnel"].cast<pb::array_t<uint64_t>>(), pc.c->actions.size());
              auto bytes = d["decisions"].cast<pb::array_t<uint8_t, pb::array::c_style | pb::array::forcecast>>();
              const std::size_t nb = static_cast<std::size_t>(bytes.size());
              if (nb % sizeof(Decision)) throw_usage("a part's decisions are not whole decisions");
              p.decisions.resize(nb / sizeof(Decision));
              if (nb) std::memcpy(p.decisions.data(), bytes.data(), nb);
              p.capacity_members = d["capacity_members"].cast<std::size_t>();
              auto dlg = d["dialogues"].cast<pb::array_t<uint8_t, pb::array::c_style | pb::array::forcecast>>();
              const std::size_t nd = static_cast<std::size_t>(dlg.size());
              if (nd % sizeof(dialogue::DialogueFunnel)) throw_usage("a part's dialogue funnels are not whole funnels");
              p.dialogues.resize(nd / sizeof(dialogue::DialogueFunnel));
              if (nd) std::memcpy(p.dialogues.data(), dlg.data(), nd);
              p.times = times_from(d["times"].cast<pb::dict>());
              for (auto w : d["warnings"]) s->warnings.push_back(w.cast<std::string>());
              parts.push_back(std::move(p));
            }
            s->r = run_released(0, [&] { return decide::merge_sweep_parts(*pc.c, parts, top_k_of(top_k)); });
            return s;
          },
          pb::arg("parts"), pb::arg("top_k"));
}

}  // namespace nudge::py
