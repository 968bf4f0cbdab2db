// Command idleconns opens many keep-alive HTTP or HTTPS connections to a
// server, makes one request on each so that each is a real client
// connection the server has served, and then holds them all idle while it
// reads the server's memory (resident set size, from /proc/PID/status).
// bench/serve.sh runs it against `mailsetup serve` for the README's
// "memory under 10,000 idle connections" figure.
//
// It is hand-rolled because the load generators at hand (wrk, hey, ab)
// measure throughput and keep only as many connections as they send
// requests on; none opens thousands of connections and leaves them idle.
//
//	idleconns -addr 127.0.0.1:8443 -tls -n 10000 -pid 1234 -hold 5s
//
// The connections come from -sources loopback addresses in turn
// (127.0.0.1, 127.0.0.2, ...), so that no single source address runs out
// of ephemeral ports and a per-IP limit in the server sees several clients.
// It exits non-zero when a connection fails or the server closes one
// before the hold ends.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "idleconns:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	addr     string
	useTLS   bool
	sni      string
	host     string
	path     string
	n        int
	sources  int
	parallel int
	hold     time.Duration
	pid      int
	timeout  time.Duration
}

func parse(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("idleconns", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8443", "server `host:port`")
	fs.BoolVar(&c.useTLS, "tls", false, "speak HTTPS (the certificate is not verified: a benchmark's own)")
	fs.StringVar(&c.sni, "sni", "", "TLS server name (default: -host)")
	fs.StringVar(&c.host, "host", "autoconfig.example.com", "Host header of the request on each connection")
	fs.StringVar(&c.path, "path", "/healthz", "request path on each connection")
	fs.IntVar(&c.n, "n", 10000, "connections to open and hold")
	fs.IntVar(&c.sources, "sources", 8, "loopback source addresses to spread the connections over (127.0.0.1 upwards); 0: let the system choose")
	fs.IntVar(&c.parallel, "parallel", 200, "connections being opened at once")
	fs.DurationVar(&c.hold, "hold", 5*time.Second, "how long to hold the connections idle before measuring and closing")
	fs.IntVar(&c.pid, "pid", 0, "server process whose memory to report (0: none)")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Minute, "limit on the whole run")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.n < 1 || c.parallel < 1 || c.sources < 0 || c.sources > 250 {
		return c, errors.New("-n and -parallel must be positive, -sources 0 to 250")
	}
	if c.sni == "" {
		c.sni = c.host
	}
	return c, nil
}

func run(args []string, out io.Writer) error {
	c, err := parse(args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	var before memory
	if c.pid > 0 {
		if before, err = readMemory(c.pid); err != nil {
			return err
		}
		fmt.Fprintf(out, "server RSS before: %s\n", before.RSS)
	}
	start := time.Now()
	conns, err := openAll(ctx, c)
	defer func() {
		for _, cn := range conns {
			cn.Close()
		}
	}()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "opened %d idle %s connections in %v\n", len(conns), scheme(c), time.Since(start).Round(time.Millisecond))

	select {
	case <-time.After(c.hold):
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	if c.pid > 0 {
		during, err := readMemory(c.pid)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "server RSS with %d idle connections: %s (peak %s); %s per connection\n",
			len(conns), during.RSS, during.HWM, bytesize(max(0, int64(during.RSS)-int64(before.RSS))/int64(len(conns))))
	}
	// Every connection must still be open: the server may not have
	// dropped idle clients to save memory while it was being measured.
	closed := countClosed(conns)
	if closed > 0 {
		return fmt.Errorf("the server closed %d of %d connections during the %v hold", closed, len(conns), c.hold)
	}
	fmt.Fprintf(out, "all %d connections still open after %v\n", len(conns), c.hold)
	return nil
}

func scheme(c config) string {
	if c.useTLS {
		return "HTTPS"
	}
	return "HTTP"
}

// openAll opens c.n connections, c.parallel at a time, each with one
// request answered.
func openAll(ctx context.Context, c config) ([]net.Conn, error) {
	conns := make([]net.Conn, c.n)
	var next atomic.Int64
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range c.parallel {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= c.n || ctx.Err() != nil {
					return
				}
				cn, err := openOne(ctx, c, i)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("connection %d: %w", i+1, err)
					}
					mu.Unlock()
					cancel()
					return
				}
				conns[i] = cn
			}
		})
	}
	wg.Wait()
	var open []net.Conn
	for _, cn := range conns {
		if cn != nil {
			open = append(open, cn)
		}
	}
	return open, firstErr
}

// openOne dials (from source address i mod c.sources), speaks TLS if
// asked, sends one GET and reads the whole answer, leaving the connection
// open and idle.
func openOne(ctx context.Context, c config, i int) (net.Conn, error) {
	d := net.Dialer{Timeout: 30 * time.Second}
	if c.sources > 0 {
		src := netip.AddrFrom4([4]byte{127, 0, 0, byte(1 + i%c.sources)})
		d.LocalAddr = &net.TCPAddr{IP: src.AsSlice()}
	}
	cn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return nil, err
	}
	if c.useTLS {
		tc := tls.Client(cn, &tls.Config{ServerName: c.sni, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) // the benchmark's own certificate
		if err := tc.HandshakeContext(ctx); err != nil {
			cn.Close()
			return nil, err
		}
		cn = tc
	}
	stop := context.AfterFunc(ctx, func() { _ = cn.SetDeadline(time.Now()) })
	defer stop()
	req := "GET " + c.path + " HTTP/1.1\r\nHost: " + c.host + "\r\nUser-Agent: mailsetup-idleconns\r\n\r\n"
	if _, err := io.WriteString(cn, req); err != nil {
		cn.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReaderSize(cn, 4096), nil)
	if err != nil {
		cn.Close()
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		cn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || resp.Close {
		cn.Close()
		return nil, fmt.Errorf("GET %s: got %s (close: %v), want 200 OK on a kept-alive connection", c.path, resp.Status, resp.Close)
	}
	return cn, nil
}

// countClosed counts the connections the server has closed: a read that
// does not time out at once means EOF or an error.
func countClosed(conns []net.Conn) int {
	closed := 0
	for _, cn := range conns {
		_ = cn.SetReadDeadline(time.Now().Add(time.Millisecond))
		var b [1]byte
		_, err := cn.Read(b[:])
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			closed++
		}
	}
	return closed
}

// memory is a process's resident set size now and at its peak.
type memory struct {
	RSS, HWM bytesize
}

// readMemory reads VmRSS and VmHWM from /proc/pid/status (Linux).
func readMemory(pid int) (memory, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return memory{}, fmt.Errorf("reading the server's memory: %w", err)
	}
	var m memory
	for _, line := range strings.Split(string(data), "\n") {
		name, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(val)
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			m.RSS = bytesize(kb * 1024)
		case "VmHWM":
			m.HWM = bytesize(kb * 1024)
		}
	}
	if m.RSS == 0 {
		return m, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
	}
	return m, nil
}

// bytesize prints as MiB or KiB.
type bytesize int64

func (b bytesize) String() string {
	if b >= 10<<20 {
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
}
