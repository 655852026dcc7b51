// The built web console (web/dist) served at "/": files by path, and index.html for every
// other GET outside /api so the single-page app's own routes survive a reload. Paths with ".."
// or NUL never leave the root.
#pragma once

#include <string>

#include "fz/http/message.h"

namespace fz::api {

// True when `request` is for the console rather than the API.
bool IsConsoleRequest(const http::Request& request);
http::Response ServeConsoleFile(const std::string& root, const http::Request& request);

}  // namespace fz::api
