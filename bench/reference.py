#!/usr/bin/python3
"""Python reference for bench/compare.sh: the notebook a data scientist would write with
pandas + scikit-learn + scipy, doing the same work as rumi's features -> train -> patterns ->
report stages with the same parameters, on the files rumi itself wrote for the hashtag.

Usage: reference.py STAGE HASHTAG_DIR OUT_DIR [SEED]
  STAGE = features | train | patterns | report   (each timed separately by compare.sh)
          | repeated_cv (not timed: the forest on OUT_DIR/folds.json, bench/repeated_cv.cc)

features: json.load every bucket_<b>/videos/<id>_analysis.json rumi's analyze stage wrote and
          flatten it with pandas.json_normalize (rumi's features stage reads the same files).
train:    per bucket with >= 20 videos, on rumi's bucket_<b>/features.csv: median imputation +
          RobustScaler fitted inside each fold, RandomForestRegressor(100, max_depth=10,
          max_samples=0.632, max_features=0.5), DecisionTreeRegressor(max_depth=8),
          RidgeCV (alphas 10^-2..10^4 half-decades; LinearRegression recorded too), KMeans(5),
          cross_val_score with rumi's scheme (5-fold >= 50, 3-fold 30-49, 10x bootstrap OOB
          20-29), permutation_importance of the forest on each held-out fold, then a final fit.
patterns: top 10 % (>= 5, <= half) vs rest by ER; per feature mannwhitneyu + ttest_ind
          (Welch), BH over the bucket, lift and a 1000-resample stratified bootstrap CI.
report:   bucket performance JSON + Markdown summary.
"""
import glob
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")


def buckets(hashtag_dir):
    return sorted(d for d in glob.glob(os.path.join(hashtag_dir, "bucket_*")) if os.path.isdir(d))


def bucket_name(d):
    return os.path.basename(d)[len("bucket_"):]


def stage_features(hashtag_dir, out_dir, seed):
    summary = {}
    for d in buckets(hashtag_dir):
        rows = []
        for f in sorted(glob.glob(os.path.join(d, "videos", "*_analysis.json"))):
            with open(f) as fh:
                doc = json.load(fh)
            flat = pd.json_normalize(doc["flows"], sep=".")
            flat.insert(0, "video_id", doc["video_id"])
            rows.append(flat)
        if not rows:
            continue
        frame = pd.concat(rows, ignore_index=True)
        numeric = frame.select_dtypes(include=[np.number])
        summary[bucket_name(d)] = {"videos": len(frame), "columns": int(frame.shape[1]),
                                   "numeric_columns": int(numeric.shape[1])}
    with open(os.path.join(out_dir, "features_summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1, sort_keys=True)


def load_bucket(d):
    frame = pd.read_csv(os.path.join(d, "features.csv"), dtype={"video_id": str})
    x = frame.drop(columns=["video_id", "weight", "er"]).to_numpy(dtype=float)
    return frame, x, frame["er"].to_numpy(float), frame["weight"].to_numpy(float)


def splits(n, seed):
    if n >= 50:
        return list(KFold(5, shuffle=True, random_state=seed).split(np.zeros(n))), "5-fold"
    if n >= 30:
        return list(KFold(3, shuffle=True, random_state=seed).split(np.zeros(n))), "3-fold"
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < 10:
        train = rng.integers(0, n, n)
        test = np.setdiff1d(np.arange(n), train)
        if len(test):
            out.append((train, test))
    return out, "bootstrap-oob"


def prep():
    return [SimpleImputer(strategy="median", keep_empty_features=True), RobustScaler()]


def stage_train(hashtag_dir, out_dir, seed):
    alphas = 10.0 ** np.arange(-2, 4.01, 0.5)
    models = {
        "random_forest": RandomForestRegressor(n_estimators=100, max_depth=10, max_samples=0.632,
                                               max_features=0.5, random_state=seed, n_jobs=1),
        "decision_tree": DecisionTreeRegressor(max_depth=8, random_state=seed),
        "linear": RidgeCV(alphas=alphas),
        "ols": LinearRegression(),
    }
    # Linear models see z-scored features, as rumi's (standardize after robust scaling).
    extra = {"linear": [StandardScaler()], "ols": [StandardScaler()]}
    result = {}
    for d in buckets(hashtag_dir):
        if not os.path.exists(os.path.join(d, "features.csv")):
            continue
        frame, x, y, w = load_bucket(d)
        n = len(y)
        if n < 20:
            result[bucket_name(d)] = {"videos": n, "insufficient": True}
            continue
        folds, scheme = splits(n, seed)
        cv = {}
        for name, model in models.items():
            pipe = make_pipeline(*prep(), *extra.get(name, []), clone(model))
            step = pipe.steps[-1][0]
            scores = cross_val_score(pipe, x, y, cv=folds, scoring="r2",
                                     fit_params={f"{step}__sample_weight": w})
            cv[name] = {"r2": float(np.nanmean(scores)), "r2_folds": [float(s) for s in scores]}
        # Permutation importance of the forest on each held-out fold (rumi: one shuffle per group).
        perm = np.zeros(x.shape[1])
        for train, test in folds:
            pipe = make_pipeline(*prep(), clone(models["random_forest"]))
            pipe.fit(x[train], y[train], randomforestregressor__sample_weight=w[train])
            pi = permutation_importance(pipe, x[test], y[test], n_repeats=1, random_state=seed,
                                        scoring="neg_mean_squared_error")
            perm += pi.importances_mean / len(folds)
        # Final fits on all videos + k-means(5) clusters of the scaled features.
        scaled = make_pipeline(*prep()).fit_transform(x)
        forest = clone(models["random_forest"]).fit(scaled, y, sample_weight=w)
        tree = clone(models["decision_tree"]).fit(scaled, y, sample_weight=w)
        linear = make_pipeline(StandardScaler(), clone(models["linear"])).fit(scaled, y, ridgecv__sample_weight=w)
        km = KMeans(n_clusters=5, n_init=4, random_state=seed).fit(StandardScaler().fit_transform(scaled))
        names = list(frame.columns[3:])
        order = np.argsort(-forest.feature_importances_)[:10]
        result[bucket_name(d)] = {
            "videos": n, "scheme": scheme, "cv": cv,
            "cv_r2": cv["random_forest"]["r2"],
            "top_features": [names[i] for i in order],
            "top_permutation": [names[i] for i in np.argsort(-perm)[:10]],
            "tree_leaves": int(tree.get_n_leaves()),
            "ridge_alpha": float(linear.steps[-1][1].alpha_),
            "cluster_sizes": np.bincount(km.labels_, minlength=5).tolist(),
        }
    with open(os.path.join(out_dir, "train.json"), "w") as fh:
        json.dump(result, fh, indent=1, sort_keys=True)


def bh(p):
    p = np.asarray(p, float)
    m = len(p)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def stage_patterns(hashtag_dir, out_dir, seed):
    rng = np.random.default_rng(seed)
    result = {}
    for d in buckets(hashtag_dir):
        if not os.path.exists(os.path.join(d, "features.csv")):
            continue
        frame, x, y, w = load_bucket(d)
        n = len(y)
        if n < 20:
            continue
        names = list(frame.columns[3:])
        order = np.lexsort((frame["video_id"].to_numpy(), -y))
        n_top = min(max(5, int(round(0.1 * n))), n // 2)
        top_idx, rest_idx = order[:n_top], order[n_top:]
        top, rest = x[top_idx], x[rest_idx]
        rows = []
        for j, name in enumerate(names):
            a, b = top[:, j], rest[:, j]
            a, b = a[np.isfinite(a)], b[np.isfinite(b)]
            if len(a) == 0 or len(b) == 0 or (np.ptp(np.concatenate([a, b])) == 0):
                p_mw, p_t = 1.0, 1.0
            else:
                p_mw = float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)
                t = stats.ttest_ind(a, b, equal_var=False)
                p_t = float(t.pvalue) if np.isfinite(t.pvalue) else 1.0
            rows.append((name, a.mean() if len(a) else 0.0, b.mean() if len(b) else 0.0, p_mw, p_t))
        p = np.array([r[3] for r in rows])
        q = bh(p)
        top_mean = np.array([r[1] for r in rows])
        rest_mean = np.array([r[2] for r in rows])
        lift = np.where(np.abs(rest_mean) < 1e-9, np.sign(top_mean - rest_mean) * 10,
                        (top_mean - rest_mean) / np.where(np.abs(rest_mean) < 1e-9, 1, np.abs(rest_mean)))
        lift = np.clip(lift, -10, 10)
        # Stratified bootstrap of the lift, all features at once (1000 resamples).
        xt, xr = np.nan_to_num(top), np.nan_to_num(rest)
        bt = xt[rng.integers(0, len(xt), (1000, len(xt)))].mean(axis=1)
        br = xr[rng.integers(0, len(xr), (1000, len(xr)))].mean(axis=1)
        boot = np.clip((bt - br) / np.where(np.abs(br) < 1e-9, 1, np.abs(br)), -10, 10)
        lo, hi = np.percentile(boot, [2.5, 97.5], axis=0)
        patterns = []
        for j, (name, tm, rm, p_mw, p_t) in enumerate(rows):
            patterns.append({"feature": name, "top_mean": float(tm), "rest_mean": float(rm),
                             "lift": float(lift[j]), "ci95": [float(lo[j]), float(hi[j])],
                             "p_value": p_mw, "welch_p": p_t, "q_value": float(q[j])})
        patterns.sort(key=lambda r: (r["q_value"], -abs(r["lift"])))
        result[bucket_name(d)] = {"sample_size": n, "top_count": int(n_top),
                                  "significant_q05": int((q < 0.05).sum()), "patterns": patterns}
    with open(os.path.join(out_dir, "patterns.json"), "w") as fh:
        json.dump(result, fh, indent=1, sort_keys=True)


def stage_report(hashtag_dir, out_dir, seed):
    with open(os.path.join(out_dir, "train.json")) as fh:
        train = json.load(fh)
    with open(os.path.join(out_dir, "patterns.json")) as fh:
        patterns = json.load(fh)
    ranking = []
    for d in buckets(hashtag_dir):
        if not os.path.exists(os.path.join(d, "features.csv")):
            continue
        b = bucket_name(d)
        er = pd.read_csv(os.path.join(d, "features.csv"), usecols=["er"])["er"]
        mean, std = float(er.mean()), float(er.std(ddof=1))
        ranking.append({"bucket": b, "sample_size": int(len(er)), "avg_engagement_rate": mean,
                        "median_engagement_rate": float(er.median()), "std_engagement_rate": std,
                        "top_10pct_engagement_rate": float(er.quantile(0.9)),
                        "consistency_score": 1.0 / (1.0 + std / mean) if mean else 0.0,
                        "model_cv_r2": train.get(b, {}).get("cv_r2"),
                        "top_patterns": [p["feature"] for p in patterns.get(b, {}).get("patterns", [])[:5]]})
    ranking.sort(key=lambda r: -r["avg_engagement_rate"])
    with open(os.path.join(out_dir, "bucket_performance_report.json"), "w") as fh:
        json.dump({"bucket_performance_ranking": ranking}, fh, indent=1, sort_keys=True)
    lines = ["# Bucket performance (Python reference)", "",
             "| rank | bucket | videos | mean ER % | CV R^2 | top patterns |", "|---|---|---|---|---|---|"]
    for i, r in enumerate(ranking, 1):
        r2 = "n/a" if r["model_cv_r2"] is None else f"{r['model_cv_r2']:+.3f}"
        lines.append(f"| {i} | {r['bucket']} | {r['sample_size']} | {r['avg_engagement_rate']:.2f} | {r2} | "
                     + ", ".join(r["top_patterns"]) + " |")
    with open(os.path.join(out_dir, "bucket_performance_report.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")


def import_ml():
    # Imported only by the stages that need them, so features/report do not pay sklearn's start-up.
    global stats, clone, KMeans, SimpleImputer, permutation_importance, LinearRegression, RidgeCV
    global KFold, cross_val_score, make_pipeline, RobustScaler, StandardScaler
    global RandomForestRegressor, DecisionTreeRegressor, r2_score
    from scipy import stats
    from sklearn.base import clone
    from sklearn.cluster import KMeans
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.impute import SimpleImputer
    from sklearn.inspection import permutation_importance
    from sklearn.linear_model import LinearRegression, RidgeCV
    from sklearn.metrics import r2_score
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import RobustScaler, StandardScaler
    from sklearn.tree import DecisionTreeRegressor


def stage_repeated_cv(hashtag_dir, out_dir, seed):
    """The forest of stage_train, scored on the folds rumi's bench/repeated_cv wrote to
    OUT_DIR/folds.json (test row indices; train = the other rows), one R^2 per fold."""
    with open(os.path.join(out_dir, "folds.json")) as fh:
        spec = json.load(fh)
    result = {}
    for b, entry in spec["buckets"].items():
        frame, x, y, w = load_bucket(os.path.join(hashtag_dir, "bucket_" + b))
        scores = []
        for test in entry["folds"]:
            test = np.asarray(test, dtype=int)
            train = np.setdiff1d(np.arange(len(y)), test)
            pipe = make_pipeline(*prep(), RandomForestRegressor(n_estimators=100, max_depth=10, max_samples=0.632,
                                                                max_features=0.5, random_state=seed, n_jobs=1))
            pipe.fit(x[train], y[train], randomforestregressor__sample_weight=w[train])
            scores.append(float(r2_score(y[test], pipe.predict(x[test]))))
        result[b] = {"videos": len(y), "r2": scores}
    with open(os.path.join(out_dir, "repeated_cv.json"), "w") as fh:
        json.dump(result, fh, indent=1, sort_keys=True)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    stage, hashtag_dir, out_dir = sys.argv[1:4]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    os.makedirs(out_dir, exist_ok=True)
    if stage in ("train", "patterns", "repeated_cv"):
        import_ml()
    {"features": stage_features, "train": stage_train, "patterns": stage_patterns,
     "report": stage_report, "repeated_cv": stage_repeated_cv}[stage](hashtag_dir, out_dir, seed)


if __name__ == "__main__":
    main()
