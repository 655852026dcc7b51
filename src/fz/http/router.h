// Router: method + path pattern → handler. Patterns are literal segments and "{name}"
// parameters ("/api/warnings/{id}/transitions"); a literal segment wins over a parameter.
// Unknown path: 404; known path with another method: 405 with an Allow header. The route list
// is public so a test can check that docs/openapi.yaml documents every route.
//
// Build it before the server starts; Dispatch is then safe to call concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fz/http/message.h"

namespace fz::http {

class Router {
 public:
  using Handler = std::function<Response(Request&)>;

  void Add(std::string_view method, std::string_view pattern, Handler handler);
  // Fills request.path_params and calls the handler, or answers 404/405.
  Response Dispatch(Request& request) const;

  struct Route {
    std::string method;
    std::string pattern;
  };
  std::vector<Route> Routes() const;  // in the order added

 private:
  struct Entry {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Entry> entries_;
};

}  // namespace fz::http
