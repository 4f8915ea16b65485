package io.linuxpatch.fleet;

import java.net.URI;
import java.util.Locale;

/**
 * One agent of the fleet, named by its base URL as the operator wrote it ({@code https://host:12443}); the port is
 * 12443 when the URL has none.
 *
 * @param url the base URL, without a trailing slash
 */
public record Host(String url) {

  /** The agent's default port (SEC-1). */
  public static final int DEFAULT_PORT = 12443;

  public Host {
    url = url.strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
  }

  /**
   * The host of {@code text}: an {@code https://} URL, or a bare {@code host[:port]} taken as one.
   *
   * @throws IllegalArgumentException for anything else (another scheme, a path, no host)
   */
  public static Host parse(String text) {
    String t = text.strip();
    if (!t.contains("://")) {
      t = "https://" + t;
    }
    URI uri;
    try {
      uri = URI.create(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an agent URL: " + text);
    }
    if (!"https".equals(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) || uri.getHost() == null
        || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
      throw new IllegalArgumentException("not an agent URL (https://HOST[:PORT]): " + text);
    }
    return new Host(t);
  }

  public String hostName() {
    return URI.create(url).getHost();
  }

  public int port() {
    int port = URI.create(url).getPort();
    return port < 0 ? DEFAULT_PORT : port;
  }

  @Override
  public String toString() {
    return url;
  }
}
