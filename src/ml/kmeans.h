#pragma once
// k-means++ clustering of standardized feature vectors: finds "kinds" of videos in a bucket and
// which features distinguish the highest-ER kind. k is chosen by silhouette over 2..6 unless fixed.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/json.h"
#include "ml/matrix.h"

namespace rumi::ml {

struct KMeansResult {
  int k = 0;
  Matrix centroids;         // k x p
  std::vector<int> labels;  // per row
  double inertia = 0;       // sum of squared distances to the assigned centroid
};

// Lloyd iterations from the given k x p centres until no label changes (or max_iter): the same
// algorithm as sklearn's KMeans(init=centres, n_init=1, algorithm="lloyd", tol=0).
KMeansResult kmeans_from_centres(const Matrix& x, Matrix centres, int max_iter = 100);
// Best of `n_init` k-means++ initializations followed by Lloyd iterations.
KMeansResult kmeans(const Matrix& x, int k, std::uint64_t seed, int n_init = 4, int max_iter = 100);
// Mean silhouette (Euclidean), sklearn's definition: singletons score 0.
double silhouette_score(const Matrix& x, std::span<const int> labels);

struct ClusterProfile {
  int id = 0;
  int size = 0;
  double mean_er = 0;
  std::vector<std::pair<std::string, double>> distinguishing;  // feature, z-score vs all videos
};

struct Clustering {
  KMeansResult result;
  std::vector<double> mean, std;  // standardization of the scaled features
  std::vector<std::pair<int, double>> silhouette_by_k;
  double silhouette = 0;
  std::vector<ClusterProfile> profiles;
  int best_cluster = 0;                // highest mean ER
  std::vector<double> best_cluster_z;  // per feature: (best mean - overall mean) / std
  int nearest(std::span<const double> scaled_row) const;
};

// fixed_k = 0 chooses k in 2..min(6, n-1) by silhouette.
Clustering fit_clustering(const Matrix& scaled, std::span<const double> er, std::span<const std::string> names,
                          int fixed_k, std::uint64_t seed);

Json to_json(const Clustering& c);
Clustering clustering_from_json(const Json& j, std::size_t expected_cols);

}  // namespace rumi::ml
