// Objective -> transform and base_score -> base margin (engine/score/objective.h).
#include <gtest/gtest.h>

#include <cmath>

#include "engine/base/error.h"
#include "engine/score/objective.h"

using namespace nudge;
using namespace nudge::score;

TEST(Objective, LogisticObjectivesTurnBaseScoreIntoLogitMarginInFloat) {
  for (const char* name : {"binary:logistic", "reg:logistic"}) {
    Objective o = make_objective(name, 0.5f, "m.json");
    EXPECT_EQ(o.transform, Transform::Sigmoid);
    EXPECT_EQ(o.base_margin, 0.0f);
    o = make_objective(name, 0.3f, "m.json");
    EXPECT_EQ(o.base_margin, -logf(1.0f / 0.3f - 1.0f)) << name;  // float arithmetic, as XGBoost's ProbToMargin
    EXPECT_NEAR(o.base_margin, std::log(0.3 / 0.7), 1e-6);
  }
}

TEST(Objective, LogitrawAndSquaredErrorKeepBaseScoreAsMargin) {
  Objective raw = make_objective("binary:logitraw", 0.25f, "m.json");
  EXPECT_EQ(raw.transform, Transform::Identity);
  EXPECT_EQ(raw.base_margin, 0.25f);  // XGBoost 1.7+: LogisticRaw::ProbToMargin is the identity
  for (const char* name : {"reg:squarederror", "reg:linear"}) {
    Objective o = make_objective(name, 1.5f, "m.json");
    EXPECT_EQ(o.transform, Transform::Identity);
    EXPECT_EQ(o.base_margin, 1.5f);
    EXPECT_EQ(apply_transform(o.transform, -3.25f), -3.25f);
  }
}

TEST(Objective, SigmoidIsXgboostsFloatSigmoid) {
  EXPECT_EQ(xgb_sigmoid(0.0f), 0.5f);
  EXPECT_EQ(xgb_sigmoid(2.0f), 1.0f / (1.0f + expf(-2.0f)));
  EXPECT_EQ(xgb_sigmoid(50.0f), 1.0f);
  const float tiny = xgb_sigmoid(-100.0f);  // exp argument clamped at 88.7: small, positive, never NaN
  EXPECT_GT(tiny, 0.0f);
  EXPECT_LT(tiny, 1e-38f);
  EXPECT_EQ(apply_transform(Transform::Sigmoid, 1.0f), xgb_sigmoid(1.0f));
}

TEST(Objective, RejectsLogisticBaseScoreOutsideOpenUnitInterval) {
  for (float b : {0.0f, 1.0f, -0.5f, 2.0f}) {
    try {
      make_objective("binary:logistic", b, "m.json");
      FAIL() << b;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("m.json: base_score must be in (0, 1) for objective binary:logistic"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(Objective, RejectsMultiClassAndUnknownObjectivesSayingWhy) {
  try {
    make_objective("multi:softprob", 0.5f, "m.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
    EXPECT_NE(std::string(e.what()).find("m.json: objective multi:softprob is a multi-class objective"),
              std::string::npos);
  }
  try {
    make_objective("rank:pairwise", 0.5f, "m.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("objective 'rank:pairwise' is not supported (supported: binary:logistic"),
              std::string::npos)
        << e.what();
  }
}
