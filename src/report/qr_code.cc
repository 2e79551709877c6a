#include "report/qr_code.h"

#include <qrencode.h>
#include <memory>

namespace rumi::report {

namespace {
struct QrDeleter {
  void operator()(QRcode* q) const { QRcode_free(q); }
};
}  // namespace

QrMatrix encode_qr(const std::string& text) {
  QrMatrix m;
  if (text.empty() || text.size() > 1000) return m;
  std::unique_ptr<QRcode, QrDeleter> code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) return m;
  m.size = code->width;
  m.dark.resize(static_cast<std::size_t>(m.size) * m.size);
  for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
  return m;
}

void draw_qr(cairo_t* cr, const QrMatrix& qr, double x, double y, double side) {
  if (qr.empty()) return;
  const int quiet = 2;
  const double module = side / (qr.size + 2 * quiet);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, side, side);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int r = 0; r < qr.size; ++r)
    for (int c = 0; c < qr.size; ++c)
      if (qr.dark[static_cast<std::size_t>(r) * qr.size + c])
        cairo_rectangle(cr, x + (c + quiet) * module, y + (r + quiet) * module, module, module);
  cairo_fill(cr);
}

}  // namespace rumi::report
