// The only translation unit that includes Boost.Beast/Asio: sockets,
// parsing, timeouts, connection caps and the drain. What is done with a
// request once read (routing, hooks, headers, metrics, access log) is the
// Pipeline's (pipeline.cpp), which needs no Beast.
//
// Shape (after the Beast "advanced server" example): one Connection object
// per socket keeps itself alive through the shared_ptr bound into its pending
// operation; every read and write has a deadline; each request gets a fresh
// parser whose body limit is set from the matched route once the header is
// known; all of a connection's work runs on its own strand. One request is
// handled at a time per connection, so pipelined requests queue in the read
// buffer and no response queue is needed.
//
// Shutdown: Stop() marks the server stopping and, on the acceptor's strand,
// closes the acceptor, closes idle connections, and arms the drain timer.
// Busy connections finish their request, answer with Connection: close and
// go away; when the last one is gone (or the timer fires) the io_context is
// stopped and Run() closes whatever is left.
#include "http/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "http/encoding.hpp"
#include "http/pipeline.hpp"

namespace nongsan::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Bytes asked for when waiting for the first byte of a request.
constexpr std::size_t kReadChunkBytes = 16 * 1024;
// After an error response that leaves request bytes unread (413, 431, 400),
// the server stops sending and discards input for up to this long before
// closing, so the client sees the response instead of a connection reset.
constexpr std::chrono::milliseconds kLingerTimeout{2'000};
// Back-off after a failed accept (typically EMFILE) so the loop does not spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

// Transfer-Encoding is accepted only as exactly "chunked" (RFC 9112 §6.3):
// any other coding, a list, or several fields would let a proxy in front and
// this server disagree on where the body ends (request smuggling).
bool HasAcceptableTransferEncoding(const bhttp::fields& fields) {
  std::size_t count = 0;
  const auto [first, last] = fields.equal_range(bhttp::field::transfer_encoding);
  for (auto field = first; field != last; ++field) {
    ++count;
    std::string_view value(field->value().data(), field->value().size());
    value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
    value.remove_suffix(value.size() - (value.find_last_not_of(" \t") + 1));
    if (count > 1 || !EqualsIgnoreCase(value, "chunked")) return false;
  }
  return true;
}

// Fills `request` from a parsed head and makes the checks Beast does not:
// origin-form target, percent-decoding, Host, framing, no NUL in the query.
// Returns the error to answer (the connection is closed after it).
std::optional<Response> ReadHead(const bhttp::request_header<>& header, const ServerConfig& config,
                                 Request& request) {
  const auto method = header.method_string();
  request.method.assign(method.data(), method.size());
  const auto target = header.target();
  request.target.assign(target.data(), target.size());
  request.headers.reserve(std::distance(header.begin(), header.end()));
  for (const auto& field : header) {
    const auto name = field.name_string();
    const auto value = field.value();
    request.headers.emplace_back(AsciiLower(std::string_view(name.data(), name.size())),
                                 std::string(value.data(), value.size()));
  }

  if (!HasAcceptableTransferEncoding(header)) {
    return MalformedRequest("Transfer-Encoding must be exactly \"chunked\".");
  }
  // Only origin-form targets ("/path?query"); absolute-form is for proxies.
  if (request.target.empty() || request.target.front() != '/') {
    return MalformedRequest("The request target must be an absolute path.");
  }
  const std::size_t question = request.target.find('?');
  const std::string_view raw_path = std::string_view(request.target).substr(0, question);
  if (question != std::string::npos) request.query_string = request.target.substr(question + 1);
  auto path = UrlDecode(raw_path, /*plus_as_space=*/false);
  if (!path || path->find('\0') != std::string::npos) {
    return MalformedRequest("The request path is not valid percent-encoded UTF-8.");
  }
  // "%00" is the only way a NUL gets into a query; no page or API wants one.
  if (request.query_string.find("%00") != std::string::npos) {
    return MalformedRequest("The query string contains a NUL byte (%00).");
  }
  request.path = std::move(*path);
  if (header.version() >= 11 && !request.Header("host")) {
    return MalformedRequest("HTTP/1.1 requests need a Host header.");
  }
  if (config.trust_proxy) {
    if (const auto forwarded = request.Header("x-forwarded-for")) {
      const std::size_t comma = forwarded->rfind(',');
      std::string last = forwarded->substr(comma == std::string::npos ? 0 : comma + 1);
      last.erase(0, last.find_first_not_of(' '));
      if (!last.empty()) request.remote_ip = std::move(last);
    }
    const auto proto = request.Header("x-forwarded-proto");
    request.tls = proto && EqualsIgnoreCase(*proto, "https");
  }
  return std::nullopt;
}

}  // namespace

int DefaultServerThreads() { return static_cast<int>(std::max(2U, 2 * std::thread::hardware_concurrency())); }

// ======================================================================== Impl

class Server::Impl {
 public:
  class Connection;

  Impl(ServerConfig config, const Router& router);
  ~Impl();

  Status Listen();
  void Run();
  void Stop();

  ServerConfig config_;
  Pipeline pipeline_;
  std::string overloaded_response_;  // canned 503: max_connections reached
  std::string per_client_response_;  // canned 429: one address's cap reached

  // Connections register here so Stop() can reach them; a connection removes
  // itself in its destructor. The I/O objects below are declared after these
  // members so that, when the io_context destroys leftover handlers (and with
  // them connections), the registry still exists.
  std::mutex connections_mutex_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;
  // Open connections per client address, for max_connections_per_client.
  std::unordered_map<std::string, std::size_t> per_client_;
  std::atomic<std::size_t> connection_count_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> destroying_{false};
  std::atomic<unsigned short> port_{0};
  bool listening_ = false;
  bool signalled_ = false;

  asio::io_context ioc_;
  tcp::acceptor acceptor_;  // on a strand, shared with the timers below
  asio::steady_timer drain_timer_;
  asio::steady_timer accept_retry_timer_;
  asio::signal_set signals_;

 private:
  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void Reject(tcp::socket socket, const std::string& canned);
  bool AdmitClient(const std::string& address);
  void WaitForSignal();
  void BeginDrain();
  void FinishIfDrained();
  std::vector<std::shared_ptr<Connection>> Snapshot();
  void RunLoop();
  void CloseLeftovers();

  friend class Connection;
};

// ================================================================== Connection

class Server::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `remote_ip` has been admitted (AdmitClient) and is released on destruction.
  Connection(Impl& server, tcp::socket socket, std::string remote_ip);
  ~Connection();

  void Start();
  // Called on the connection's strand when the server starts draining.
  void OnServerStopping();
  // Only when no thread runs the io_context any more.
  void CloseNow() { Close(); }
  asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class State { kIdle, kReading, kBusy, kLingering, kClosed };
  // Which request a connection waits for: a new connection's first must
  // start within the header timeout, a kept-alive one's next within the
  // idle timeout.
  enum class Awaited { kFirst, kNext };
  // What a connection does once its response is written.
  enum class AfterWrite { kReadNext, kClose, kLinger };

  void WaitForRequest(Awaited awaited);
  void OnFirstBytes(beast::error_code ec, std::size_t bytes);
  void ReadHeader();
  void OnHeader(beast::error_code ec, std::size_t bytes);
  void ReadBody();
  void OnBody(beast::error_code ec, std::size_t bytes);
  void OnReadError(beast::error_code ec);
  void Handle();
  void SendError(Response response);
  void Write(Response response);
  void OnWrite(AfterWrite after, beast::error_code ec, std::size_t bytes);
  void LingerThenClose();
  void OnLingerRead(beast::error_code ec, std::size_t bytes);
  void Close();
  std::chrono::milliseconds HeaderTimeout() const {
    return std::min(server_.config_.limits.header_timeout, server_.config_.limits.read_timeout);
  }

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  Request request_;
  std::string remote_ip_;
  State state_ = State::kIdle;
  unsigned version_ = 11;
  bool keep_alive_ = false;
};

Server::Impl::Connection::Connection(Impl& server, tcp::socket socket, std::string remote_ip)
    : server_(server), stream_(std::move(socket)), remote_ip_(std::move(remote_ip)) {
  server_.connection_count_.fetch_add(1);
  beast::error_code ec;
  // Responses go out in one write; Nagle would only add latency.
  stream_.socket().set_option(tcp::no_delay(true), ec);
}

Server::Impl::Connection::~Connection() {
  {
    std::lock_guard lock(server_.connections_mutex_);
    server_.connections_.erase(this);
    if (const auto it = server_.per_client_.find(remote_ip_); it != server_.per_client_.end()) {
      if (--it->second == 0) server_.per_client_.erase(it);
    }
  }
  const std::size_t left = server_.connection_count_.fetch_sub(1) - 1;
  if (left == 0 && server_.stopping_ && !server_.destroying_) {
    asio::post(server_.acceptor_.get_executor(), [impl = &server_] { impl->FinishIfDrained(); });
  }
}

void Server::Impl::Connection::Start() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&Connection::WaitForRequest, shared_from_this(), Awaited::kFirst));
}

void Server::Impl::Connection::OnServerStopping() {
  if (state_ == State::kIdle) Close();
}

void Server::Impl::Connection::WaitForRequest(Awaited awaited) {
  if (state_ == State::kClosed) return;
  if (server_.stopping_) return Close();
  state_ = State::kIdle;
  if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
  // A new connection must start its request promptly; a kept-alive one may
  // wait the idle timeout for the next.
  stream_.expires_after(awaited == Awaited::kFirst ? HeaderTimeout() : server_.config_.limits.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          beast::bind_front_handler(&Connection::OnFirstBytes, shared_from_this()));
}

void Server::Impl::Connection::OnFirstBytes(beast::error_code ec, std::size_t bytes) {
  if (ec || state_ == State::kClosed) return Close();
  buffer_.commit(bytes);
  ReadHeader();
}

void Server::Impl::Connection::ReadHeader() {
  state_ = State::kReading;
  request_ = Request{};
  request_.remote_ip = remote_ip_;
  request_.received_at = Clock::now();
  // Deadlines count from the request's first byte: one for the header here,
  // one for the whole request once the header is in (OnHeader).
  stream_.expires_after(HeaderTimeout());
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(server_.config_.limits.max_header_bytes));
  // No limit while reading the header: the limit depends on the route, and
  // Beast would otherwise refuse a large Content-Length before we can route.
  parser_->body_limit(boost::none);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Connection::OnHeader, shared_from_this()));
}

void Server::Impl::Connection::OnHeader(beast::error_code ec, std::size_t) {
  if (ec) return OnReadError(ec);
  const auto& header = parser_->get();
  version_ = header.version();
  keep_alive_ = header.keep_alive();
  if (auto refused = ReadHead(header, server_.config_, request_)) return SendError(std::move(*refused));
  // The header is in; the body has what is left of the whole request's time.
  stream_.expires_at(request_.received_at + server_.config_.limits.read_timeout);

  const std::size_t limit = server_.pipeline_.BodyLimitFor(request_);
  const auto content_length = parser_->content_length();
  if (content_length && *content_length > limit) {
    return SendError(Response::Problem(
        BodyTooLarge(fmt::format("The request body may be at most {} bytes here.", limit)), request_.path));
  }
  parser_->body_limit(limit);
  if (parser_->is_done()) return Handle();

  const auto expect = header[bhttp::field::expect];
  if (version_ >= 11 && EqualsIgnoreCase(std::string_view(expect.data(), expect.size()), "100-continue")) {
    asio::async_write(stream_, asio::buffer(kContinueResponse.data(), kContinueResponse.size()),
                      [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                        if (write_ec) return self->Close();
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

void Server::Impl::Connection::ReadBody() {
  if (state_ == State::kClosed) return;
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&Connection::OnBody, shared_from_this()));
}

void Server::Impl::Connection::OnBody(beast::error_code ec, std::size_t) {
  if (ec) return OnReadError(ec);
  Handle();
}

void Server::Impl::Connection::OnReadError(beast::error_code ec) {
  if (state_ == State::kClosed) return;
  if (ec == bhttp::error::header_limit) {
    return SendError(ProtocolProblem(
        431, "header_too_large", "Request header fields too large",
        fmt::format("The request header may be at most {} bytes.", server_.config_.limits.max_header_bytes)));
  }
  if (ec == bhttp::error::body_limit) {
    return SendError(Response::Problem(BodyTooLarge("The request body is larger than this endpoint accepts."),
                                       request_.path));
  }
  // A clean close between requests, a timeout (Beast has already closed the
  // socket) or a reset: nothing to answer.
  const bool peer_gone = ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
                         ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
                         ec == asio::error::eof;
  if (!peer_gone && ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return SendError(MalformedRequest("The request is not valid HTTP/1.1."));
  }
  spdlog::debug("http connection from {} closed while reading: {}", remote_ip_, ec.message());
  Close();
}

void Server::Impl::Connection::Handle() {
  if (state_ == State::kClosed) return;
  state_ = State::kBusy;
  request_.body = std::move(parser_->get().body());
  Response response = server_.pipeline_.Dispatch(request_);
  Write(std::move(response));
}

// Answers a request that could not be read in full and closes afterwards.
void Server::Impl::Connection::SendError(Response response) {
  state_ = State::kBusy;
  response.close = true;
  server_.pipeline_.Complete(request_, response);
  Write(std::move(response));
}

void Server::Impl::Connection::Write(Response response) {
  // A response after an unfinished read leaves bytes in flight: linger.
  const bool linger = response.close && !(parser_ && parser_->is_done());
  const bool keep_alive = keep_alive_ && !response.close && !server_.stopping_;

  response_ = {};
  response_.version(version_ == 10 ? 10 : 11);
  if (response.status < 100 || response.status > 599) {
    spdlog::error("request {} produced invalid status {}", request_.request_id, response.status);
    response = InternalErrorResponse(request_);
  }
  response_.result(static_cast<unsigned>(response.status));
  bool has_content_type = false;
  for (const auto& [name, value] : response.headers) {
    // A value with CR/LF would let a handler (or data it echoes) inject headers.
    if (HasLineBreak(name) || HasLineBreak(value) || name.empty()) {
      spdlog::warn("request {}: dropped response header with a line break", request_.request_id);
      continue;
    }
    has_content_type = has_content_type || EqualsIgnoreCase(name, "content-type");
    response_.insert(beast::string_view(name.data(), name.size()),
                     beast::string_view(value.data(), value.size()));
  }
  const bool bodyless = IsBodylessStatus(response.status);
  if (!has_content_type && !bodyless && !response.content_type.empty()) {
    response_.set(bhttp::field::content_type, response.content_type);
  }
  response_.set(bhttp::field::date, HttpDate());
  response_.keep_alive(keep_alive);
  if (bodyless) {
    // No body and no Content-Length for 1xx/204/304.
  } else if (request_.method == "HEAD") {
    response_.content_length(response.body.size());
  } else {
    response_.body() = std::move(response.body);
    response_.prepare_payload();
  }

  stream_.expires_after(server_.config_.limits.write_timeout);
  const AfterWrite after = linger       ? AfterWrite::kLinger
                           : keep_alive ? AfterWrite::kReadNext
                                        : AfterWrite::kClose;
  bhttp::async_write(stream_, response_,
                     beast::bind_front_handler(&Connection::OnWrite, shared_from_this(), after));
}

void Server::Impl::Connection::OnWrite(AfterWrite after, beast::error_code ec, std::size_t) {
  response_ = {};
  if (ec || state_ == State::kClosed) return Close();
  if (after == AfterWrite::kLinger) return LingerThenClose();
  if (after == AfterWrite::kClose) return Close();
  WaitForRequest(Awaited::kNext);
}

void Server::Impl::Connection::LingerThenClose() {
  state_ = State::kLingering;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return Close();
  stream_.expires_after(kLingerTimeout);
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          beast::bind_front_handler(&Connection::OnLingerRead, shared_from_this()));
}

void Server::Impl::Connection::OnLingerRead(beast::error_code ec, std::size_t) {
  if (ec || state_ == State::kClosed) return Close();
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          beast::bind_front_handler(&Connection::OnLingerRead, shared_from_this()));
}

void Server::Impl::Connection::Close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
}

// ======================================================================== Impl

Server::Impl::Impl(ServerConfig config, const Router& router)
    : config_(std::move(config)),
      pipeline_(config_, router),
      ioc_(std::max(1, config_.threads > 0 ? config_.threads : DefaultServerThreads())),
      acceptor_(asio::make_strand(ioc_)),
      drain_timer_(acceptor_.get_executor()),
      accept_retry_timer_(acceptor_.get_executor()),
      signals_(acceptor_.get_executor()) {
  overloaded_response_ =
      CannedRefusal("503 Service Unavailable",
                    Error::Unavailable("The server is at its connection limit; try again shortly."));
  Error per_client = Error::RateLimited(1);
  per_client.detail =
      fmt::format("At most {} connections from one address at a time; close some and try again.",
                  config_.limits.max_connections_per_client);
  per_client_response_ = CannedRefusal("429 Too Many Requests", per_client);

  pipeline_.metrics().AddGauge("nongsan_http_connections", "Open HTTP connections.",
                               [this] { return static_cast<double>(connection_count_.load()); });
}

Server::Impl::~Impl() {
  destroying_ = true;
  ioc_.stop();
}

Status Server::Impl::Listen() {
  if (listening_) return Ok{};
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  const auto endpoints =
      resolver.resolve(config_.host, std::to_string(config_.port), tcp::resolver::passive, ec);
  const auto fail = [&](std::string_view step) -> Status {
    return Error::Unavailable(
        fmt::format("Cannot {} {}:{}: {}", step, config_.host, config_.port, ec.message()));
  };
  if (ec) return fail("resolve");
  if (endpoints.empty()) return fail("resolve");
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("open a socket for");
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("set SO_REUSEADDR on");
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  port_ = acceptor_.local_endpoint(ec).port();
  listening_ = true;
  return Ok{};
}

void Server::Impl::DoAccept() {
  if (stopping_ || !acceptor_.is_open()) return;
  acceptor_.async_accept(asio::make_strand(ioc_), beast::bind_front_handler(&Impl::OnAccept, this));
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec) {
    if (ec == asio::error::operation_aborted || stopping_) return;
    spdlog::warn("http accept failed: {}", ec.message());
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec) DoAccept();
    });
    return;
  }
  if (stopping_) return;  // the socket closes as it goes out of scope
  beast::error_code endpoint_ec;
  const auto endpoint = socket.remote_endpoint(endpoint_ec);
  std::string address = endpoint_ec ? std::string() : endpoint.address().to_string();
  if (connection_count_.load() >= config_.limits.max_connections) {
    Reject(std::move(socket), overloaded_response_);
  } else if (!AdmitClient(address)) {
    Reject(std::move(socket), per_client_response_);
  } else {
    auto connection = std::make_shared<Connection>(*this, std::move(socket), std::move(address));
    {
      std::lock_guard lock(connections_mutex_);
      connections_.emplace(connection.get(), connection);
    }
    connection->Start();
  }
  DoAccept();
}

// Counts a new connection from `address` unless the address is at its cap.
// Every admitted address is counted (also without a cap) so the Connection's
// destructor can always release it.
bool Server::Impl::AdmitClient(const std::string& address) {
  const std::size_t cap = config_.trust_proxy ? 0 : config_.limits.max_connections_per_client;
  std::lock_guard lock(connections_mutex_);
  std::size_t& open = per_client_[address];
  if (cap != 0 && open >= cap) {
    if (open == 0) per_client_.erase(address);
    spdlog::debug("http connection refused: {} already holds {} connections", address, open);
    return false;
  }
  ++open;
  return true;
}

// Over a cap: a canned response written without blocking (it fits in any
// socket buffer), then close. No Connection object, no timers.
void Server::Impl::Reject(tcp::socket socket, const std::string& canned) {
  beast::error_code ec;
  socket.non_blocking(true, ec);
  socket.write_some(asio::buffer(canned), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

void Server::Impl::WaitForSignal() {
  signals_.async_wait([this](beast::error_code ec, int signal_number) {
    if (ec) return;
    if (!signalled_) {
      signalled_ = true;
      spdlog::info("signal {} received; draining connections", signal_number);
      Stop();
      WaitForSignal();
    } else {
      spdlog::warn("second signal {} received; stopping without waiting", signal_number);
      ioc_.stop();
    }
  });
}

void Server::Impl::Stop() {
  if (stopping_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [this] { BeginDrain(); });
}

std::vector<std::shared_ptr<Server::Impl::Connection>> Server::Impl::Snapshot() {
  std::vector<std::shared_ptr<Connection>> alive;
  std::lock_guard lock(connections_mutex_);
  alive.reserve(connections_.size());
  for (const auto& [raw, weak] : connections_) {
    if (auto connection = weak.lock()) alive.push_back(std::move(connection));
  }
  return alive;
}

void Server::Impl::BeginDrain() {
  beast::error_code ec;
  acceptor_.close(ec);
  accept_retry_timer_.cancel();
  for (auto& connection : Snapshot()) {
    asio::post(connection->executor(), [connection] { connection->OnServerStopping(); });
  }
  if (connection_count_.load() == 0) return FinishIfDrained();
  drain_timer_.expires_after(config_.limits.drain_timeout);
  drain_timer_.async_wait([this](beast::error_code wait_ec) {
    if (wait_ec) return;
    spdlog::warn("http drain timeout: closing {} connections still open", connection_count_.load());
    ioc_.stop();  // Run() closes the leftovers once its threads are back
  });
}

void Server::Impl::FinishIfDrained() {
  if (!stopping_ || connection_count_.load() != 0) return;
  drain_timer_.cancel();
  ioc_.stop();
}

void Server::Impl::RunLoop() {
  while (true) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      // Handlers catch their own exceptions; this is a bug in the I/O path.
      spdlog::error("http io loop: unexpected exception: {}", e.what());
    }
  }
}

void Server::Impl::CloseLeftovers() {
  beast::error_code ec;
  acceptor_.close(ec);
  signals_.cancel(ec);
  // No thread runs the io_context now, so touching connections directly is
  // safe. Polling once lets their aborted operations complete and release them.
  for (auto& connection : Snapshot()) connection->CloseNow();
  ioc_.restart();
  ioc_.poll();
}

void Server::Impl::Run() {
  if (!listening_) {
    if (auto status = Listen(); !status.ok()) {
      spdlog::error("http server: {}", status.error().detail);
      return;
    }
  }
  if (config_.handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    WaitForSignal();
  }
  spdlog::info("http server listening on {}:{}", config_.host, port_.load());
  asio::post(acceptor_.get_executor(), [this] { DoAccept(); });

  const int thread_count = config_.threads > 0 ? config_.threads : DefaultServerThreads();
  std::vector<std::thread> threads;
  threads.reserve(thread_count - 1);
  for (int i = 1; i < thread_count; ++i) threads.emplace_back([this] { RunLoop(); });
  RunLoop();
  for (auto& thread : threads) thread.join();
  CloseLeftovers();
  spdlog::info("http server stopped");
}
// ================================================================ ParseRequestHead

ParsedHead ParseRequestHead(std::string_view bytes, const ServerConfig& config) {
  ParsedHead out;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(config.limits.max_header_bytes));
  parser.body_limit(boost::none);
  parser.eager(false);  // stop after the head, as async_read_header does
  beast::error_code ec;
  parser.put(asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec == bhttp::error::need_more) {
    out.incomplete = true;
  } else if (ec == bhttp::error::header_limit) {
    out.error = ProtocolProblem(431, "header_too_large", "Request header fields too large",
                                "The request header is too large.");
    out.error->close = true;  // as SendError does
  } else if (ec || !parser.is_header_done()) {
    out.error = MalformedRequest("The request is not valid HTTP/1.1.");
  } else {
    Request request;
    if (auto refused = ReadHead(parser.get(), config, request)) {
      out.error = std::move(refused);
    } else {
      out.request = std::move(request);
    }
  }
  return out;
}

// ====================================================================== Server

Server::Server(ServerConfig config, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(config), router)) {}

Server::~Server() = default;

void Server::AddBefore(BeforeHook hook) { impl_->pipeline_.AddBefore(std::move(hook)); }
void Server::SetFallback(Handler handler) { impl_->pipeline_.SetFallback(std::move(handler)); }
void Server::AddAfter(AfterHook hook) { impl_->pipeline_.AddAfter(std::move(hook)); }
void Server::SetHostRewrite(HostRewrite rewrite) { impl_->pipeline_.SetHostRewrite(std::move(rewrite)); }
Status Server::Listen() { return impl_->Listen(); }
unsigned short Server::port() const { return impl_->port_.load(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
Response Server::Dispatch(Request& request) { return impl_->pipeline_.Dispatch(request); }
Metrics& Server::metrics() { return impl_->pipeline_.metrics(); }
const ServerConfig& Server::config() const { return impl_->config_; }

}  // namespace nongsan::http
