#include "images/qr_svg.hpp"

#include <qrencode.h>

#include <memory>

namespace nongsan::images {

Result<std::string> QrSvg(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!qr) return Error::Internal("QR encoding failed");
  const int width = qr->width;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if ((qr->data[y * width + x] & 1) == 0) continue;
      path += 'M';
      path += std::to_string(x + kQrQuietZoneModules);
      path += ',';
      path += std::to_string(y + kQrQuietZoneModules);
      path += "h1v1h-1z";
    }
  }
  const std::string dim = std::to_string(width + 2 * kQrQuietZoneModules);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + dim + " " + dim +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
         "<path fill=\"#000\" d=\"" +
         path + "\"/></svg>\n";
}

}  // namespace nongsan::images
