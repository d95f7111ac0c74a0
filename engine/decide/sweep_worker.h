// One sweep worker's scratch (engine/decide/sweep_pass.cc's pass, sweep.cc): the bitmaps,
// candidates and counts of the batch it is working on. Internal to the sweep.
// Thread-safety: one per thread (tbb::enumerable_thread_specific).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/decide/arbitration.h"
#include "engine/decide/member_inputs.h"
#include "engine/decide/member_sink.h"
#include "engine/decide/ranking.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/expr/program.h"

namespace nudge::decide::detail {

struct Worker {
  expr::Workspace ws;
  std::vector<uint64_t> consent, capped, cand, any;
  std::vector<uint32_t> rows;        // rows of the batch with a candidate, ascending
  std::vector<uint64_t> row_masks;   // per entry of rows: its candidate actions (bit a: action a)
  std::vector<uint64_t> row_masks_word;  // 64 entries, zero between words: gates()' transpose scratch
  std::vector<double> churn;
  std::vector<Candidate> cands, held;  // held: optimise mode, candidates of actions held out (held_walk.h)
  std::vector<Gate> gates;
  std::vector<double> left;
  std::vector<int64_t> allowance, held_allowance;
  std::vector<int64_t> allowance_before;  // with a member sink: allowance before the walk
  MemberInputs hist;                      // SweepOptions::inputs of the batch
  std::optional<DecisionBuffer> decisions;
  MemberSinkWorker* sink = nullptr;
  std::vector<ActionFunnel> funnel;
  std::size_t with_candidates = 0;
  dialogue::DialogueScratch dlg;  // dialogue places of the batch (engine/dialogue/dialogue_pass.h)
  double t_dialogue = 0, t_hist = 0, t_eval = 0, t_gates = 0, t_score = 0, t_walk = 0;
};

}  // namespace nudge::decide::detail
