// Test images for the upload paths: decompression bombs that cost a few
// bytes, and EXIF GPS written and read back with exiftool (Debian
// libimage-exiftool-perl), the independent checker for photos' metadata
// (see /work/shared/TESTING.md): our own libvips code does not judge itself.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace nongsan::testing {

// A PNG whose header claims width × height but whose pixel data is a stub:
// a few bytes that would decode to a huge bitmap.
std::string PngHeaderOnly(std::uint32_t width, std::uint32_t height);

// The JPEG with a GPS position (Thái Nguyên), a camera make and a model
// written into its EXIF by exiftool. Throws when exiftool fails.
std::string WithGpsExif(const std::string& jpeg);

// exiftool's view of a file's GPS tags and camera (-n -j -gps:all -Make
// -Model): the JSON object of the one file, "SourceFile" removed.
nlohmann::json ExifGpsAndCamera(const std::string& bytes);

}  // namespace nongsan::testing
