package io.linuxpatch.auth.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("SEC-3")
@DisplayName("Drop counting stays bounded under a flood from many addresses")
class DropCountsTest {

  /** A server-channel pipeline holding only the filter, fed accepted children the way Netty does. */
  private static EmbeddedChannel serverPipeline(AcceptFilter filter) {
    return new EmbeddedChannel(filter);
  }

  @Test
  @DisplayName("at most 256 addresses are tracked; the rest only add to the total and the overflow count")
  void bounded() throws IOException {
    AcceptFilter filter = new AcceptFilter();
    EmbeddedChannel server = serverPipeline(filter);
    for (int i = 0; i < 300; i++) {
      server.writeInbound(child(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i / 256), (byte) i})));
    }
    server.writeInbound(child(InetAddress.getByName("10.0.0.1")));

    assertThat((Object) server.readInbound()).as("no denied child reaches the acceptor").isNull();
    DropCounts drops = filter.drainDrops();
    assertThat(drops.total()).isEqualTo(301);
    assertThat(drops.byAddress()).hasSize(AcceptFilter.MAX_TRACKED_ADDRESSES).containsEntry("10.0.0.1", 2L);
    assertThat(drops.otherAddresses()).isEqualTo(301 - 256 - 1);
    assertThat(filter.droppedSinceStart()).isEqualTo(301);
    assertThat(filter.drainDrops().total()).isZero();
  }

  @Test
  @DisplayName("anything that is not an accepted child channel passes through untouched")
  void otherMessagesPass() {
    EmbeddedChannel server = serverPipeline(new AcceptFilter());
    server.writeInbound("not a channel");
    assertThat((Object) server.readInbound()).isEqualTo("not a channel");
  }

  /** An unregistered NIO child with a real (unconnected) socket whose remote address is faked. */
  private static NioSocketChannel child(InetAddress remote) throws IOException {
    return new NioSocketChannel(SocketChannel.open()) {
      @Override
      public InetSocketAddress remoteAddress() {
        return new InetSocketAddress(remote, 40000);
      }
    };
  }
}
