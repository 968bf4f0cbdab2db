package netx_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// lossyUDP relays DNS datagrams to server, dropping the first one, as a
// busy network or resolver does. It returns its address and a counter of
// datagrams received.
func lossyUDP(t *testing.T, server string) (string, *atomic.Int32) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	var seen atomic.Int32
	go func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if seen.Add(1) == 1 {
				continue // lost
			}
			q := append([]byte(nil), buf[:n]...)
			go func() {
				up, err := net.Dial("udp", server)
				if err != nil {
					return
				}
				defer up.Close()
				up.SetDeadline(time.Now().Add(5 * time.Second))
				if _, err := up.Write(q); err != nil {
					return
				}
				resp := make([]byte, 4096)
				m, err := up.Read(resp)
				if err == nil {
					pc.WriteTo(resp[:m], from)
				}
			}()
		}
	}()
	return pc.LocalAddr().String(), &seen
}

// TestUDPRetransmit: a lost UDP query is sent again on the same socket
// instead of failing the lookup.
func TestUDPRetransmit(t *testing.T) {
	n := mailtest.Start(t)
	addr, seen := lossyUDP(t, n.ResolverAddr())
	r := &netx.Resolver{Server: addr, Timeout: 3 * time.Second}
	ans, err := r.Lookup(context.Background(), "imap.example.test", dns.TypeA)
	if err != nil || len(ans.Records) != 1 {
		t.Fatalf("lookup through a lossy path: %v, %+v", err, ans)
	}
	if got := seen.Load(); got < 2 {
		t.Errorf("the relay saw %d datagram(s); want the query sent again", got)
	}
}
