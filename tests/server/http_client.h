// Plain HTTP/1.0 over loopback TCP, for the metrics endpoint's tests.
#ifndef PATHWISE_TESTS_SERVER_HTTP_CLIENT_H_
#define PATHWISE_TESTS_SERVER_HTTP_CLIENT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace pathwise::server {

// A TCP connection to 127.0.0.1:port with a `seconds` receive timeout; -1 when
// it cannot connect. The caller closes it.
inline int ConnectLoopback(int port, int seconds = 10) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The whole answer to GET `path` ("" when the connection fails or times out
// before any byte).
inline std::string HttpGet(int port, const std::string& path) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  std::string out;
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
    char buffer[8192];
    for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) out.append(buffer, n);
  }
  close(fd);
  return out;
}

}  // namespace pathwise::server

#endif  // PATHWISE_TESTS_SERVER_HTTP_CLIENT_H_
