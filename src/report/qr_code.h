#pragma once
// QR codes (libqrencode) drawn as vector squares, so they stay sharp when printed.
#include <cairo/cairo.h>
#include <string>
#include <vector>

namespace rumi::report {

struct QrMatrix {
  int size = 0;            // modules per side
  std::vector<bool> dark;  // row-major size*size
  bool empty() const { return size == 0; }
};

// Empty matrix when the text cannot be encoded (too long, libqrencode error).
QrMatrix encode_qr(const std::string& text);
// Draws the code with a white quiet zone of 2 modules inside the square (x, y, side).
void draw_qr(cairo_t* cr, const QrMatrix& qr, double x, double y, double side);

}  // namespace rumi::report
