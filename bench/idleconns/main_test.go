package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// sources spreads the test's connections over two loopback addresses
// where the system routes all of 127.0.0.0/8 to loopback (Linux).
func sources() string {
	if runtime.GOOS == "linux" {
		return "2"
	}
	return "0"
}

func TestHoldsIdleConnections(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls=%v", useTLS), func(t *testing.T) {
			var requests atomic.Int64
			var mu sync.Mutex
			remotes := map[string]bool{}
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				host, _, _ := net.SplitHostPort(r.RemoteAddr)
				mu.Lock()
				remotes[host] = true
				mu.Unlock()
				if r.URL.Path != "/healthz" || r.Host != "autoconfig.example.com" {
					http.NotFound(w, r)
					return
				}
				io.WriteString(w, "ok\n")
			}))
			if useTLS {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			args := []string{"-addr", srv.Listener.Addr().String(), "-n", "60", "-parallel", "7", "-hold", "50ms",
				"-pid", strconv.Itoa(os.Getpid()), "-sources", sources()}
			if useTLS {
				args = append(args, "-tls")
			}
			var out strings.Builder
			if err := run(args, &out); err != nil {
				t.Fatalf("run: %v\n%s", err, out.String())
			}
			t.Log(out.String())
			if got := requests.Load(); got != 60 {
				t.Errorf("requests: got %d, want 60 (one per connection)", got)
			}
			for _, want := range []string{"server RSS before: ", "opened 60 idle ", "server RSS with 60 idle connections: ", "all 60 connections still open"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output: got %q, want %q in it", out.String(), want)
				}
			}
			if sources() == "2" && len(remotes) != 2 {
				t.Errorf("client addresses: got %v, want 127.0.0.1 and 127.0.0.2", remotes)
			}
		})
	}
}

// TestFailsWhenServerCloses: a server that answers and then hangs up is
// not holding idle connections, and the run says so.
func TestFailsWhenServerCloses(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
					return
				}
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
			}()
		}
	}()
	var out strings.Builder
	err = run([]string{"-addr", ln.Addr().String(), "-n", "5", "-hold", "100ms", "-sources", "0"}, &out)
	if err == nil || !strings.Contains(err.Error(), "closed 5 of 5") {
		t.Fatalf("run against a server that hangs up: got %v, want the 5 closed connections reported\n%s", err, out.String())
	}
}

func TestFailsOnErrorStatus(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	err := run([]string{"-addr", srv.Listener.Addr().String(), "-n", "3", "-hold", "0s", "-sources", "0"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("run against a server answering 404: got %v, want the status reported", err)
	}
}
