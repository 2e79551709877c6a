#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing, benchmarking and fuzzing rumi needs.
# Idempotent and non-interactive; run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libxgboost-dev libeigen3-dev libboost-math-dev
  nlohmann-json3-dev libsimdjson-dev libyaml-cpp-dev libcli11-dev
  libspdlog-dev libfmt-dev libcurl4-openssl-dev libcpp-httplib-dev
  libsqlite3-dev sqlite3 libsodium-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core libqrencode-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libfuzzer-14-dev libclang-rt-14-dev clang-format-14 clang-tidy-14
  python3 python3-scipy python3-sklearn python3-pandas python3-numpy python3-statsmodels
  poppler-utils
  # native analyzer: in-process decoding, loudness, tempo, speech; test videos with known truth
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev
  libebur128-dev libaubio-dev libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us
  ffmpeg espeak-ng
  # native analyzer II: on-screen text (tesseract) and faces (OpenCV's cascade detectors)
  libtesseract-dev tesseract-ocr-eng libopencv-objdetect-dev libopencv-imgproc-dev opencv-data
  # real photographs (a portrait, food, outdoor scenes) for the face detector's truth tests
  python3-skimage
  # team mode: PostgreSQL as a shared store (libpq) and its server for the tests' throwaway cluster
  postgresql libpq-dev
  # HTML dashboard test in a real browser
  chromium
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
