//go:build unix

package bulk_test

// The bulk benchmark runs `mailsetup bulk` end to end (the cmd package's
// command, so the real wiring is measured) on 10,000 rows across 100
// domains against the in-process network with 50 ms of latency on every
// DNS answer and every connection round trip:
//
//	go test ./bulk -run '^$' -bench Bulk -benchtime 1x
//
// It reports rows/s, the number of discoveries (it fails unless there is
// exactly one per domain, counted in the network's request log) and the
// peak resident memory of the run (VmHWM, reset before each run).
// MAILSETUP_BENCH_DIR=/dev/shm writes the output to a tmpfs instead of
// the temporary folder, to tell the disk's cost from mailsetup's.

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/bulk"
	"github.com/mailsetup/mailsetup/cmd"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

const (
	benchRows    = 10000
	benchDomains = 100
	benchLatency = 50 * time.Millisecond
)

func BenchmarkBulk(b *testing.B) {
	n := mailtest.Start(b, mailtest.Bare(), mailtest.WithLatency(benchLatency))
	for i := range benchDomains {
		d := fmt.Sprintf("d%03d.test", i)
		n.AddMailDomain(d)
		n.HandleHTTP("autoconfig."+d, "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml", Body: `<clientConfig version="1.1"><emailProvider id="` + d + `"><domain>` + d + `</domain>
<incomingServer type="imap"><hostname>imap.` + d + `</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.` + d + `</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`})
	}
	n.DNS().SetDelayAll(benchLatency)

	// MAILSETUP_BENCH_DIR puts the output elsewhere, e.g. on a tmpfs to
	// measure without the disk's fsync cost.
	tmp := b.TempDir()
	if d := os.Getenv("MAILSETUP_BENCH_DIR"); d != "" {
		var err error
		if tmp, err = os.MkdirTemp(d, "bulk-bench-"); err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(tmp)
	}
	input := filepath.Join(tmp, "users.csv")
	writeUsers(b, input)
	cert, key := signingFiles(b, tmp)

	for _, bc := range []struct {
		name string
		args []string
	}{
		{"unsigned-all-formats", []string{"--format", "all"}},
		{"unsigned-json", []string{"--format", "json"}},
		{"signed-mobileconfig", []string{"--format", "apple", "--sign-cert", cert, "--sign-key", key}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := range b.N {
				n.ResetHTTPRequests()
				resetPeakRSS()
				out := filepath.Join(tmp, fmt.Sprintf("%s-%d", bc.name, i))
				report := out + ".json"
				args := append([]string{"--resolver", n.ResolverAddr(), "--timeout", "60s", "bulk", input, "--ispdb", "off",
					"-o", out, "--report", report}, bc.args...)
				ios, _, stdout, stderr := iostreams.Test()
				f := cmd.NewFactory(ios)
				f.Dialer, f.RootCAs = n, n.CAPool()
				start, cpu0 := time.Now(), cpuTime()
				code := cmd.Execute(context.Background(), f, args)
				wall, cpu := time.Since(start), cpuTime()-cpu0
				if code != cmd.ExitOK {
					b.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
				}
				var rep bulk.Report
				data, _ := os.ReadFile(report)
				if err := json.Unmarshal(data, &rep); err != nil {
					b.Fatal(err)
				}
				fetches := 0
				for _, r := range n.HTTPRequests() {
					if strings.HasPrefix(r.Host, "autoconfig.") && r.Path == "/mail/config-v1.1.xml" {
						fetches++
					}
				}
				s := rep.Summary
				if s.Rows != benchRows || s.OK != benchRows || s.Discoveries != benchDomains || fetches != benchDomains {
					src := map[string]int{}
					for _, d := range rep.Domains {
						src[string(d.Discovery.Source)]++
					}
					b.Fatalf("summary %+v, %d autoconfig fetches, sources %v", s, fetches, src)
				}
				rss := peakRSS()
				b.ReportMetric(float64(benchRows)/wall.Seconds(), "rows/s")
				b.ReportMetric(float64(s.Discoveries), "discoveries")
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
				b.ReportMetric(float64(cpu.Microseconds())/benchRows, "CPU-µs/row")
				b.Logf("%s: %d rows in %s (%.0f rows/s), %d discoveries, %d autoconfig fetches, peak RSS %.0f MB, CPU %s (%.0f µs/row, the in-process servers included)",
					bc.name, s.Rows, wall.Round(time.Millisecond), float64(benchRows)/wall.Seconds(), s.Discoveries, fetches, float64(rss)/(1<<20),
					cpu.Round(time.Millisecond), float64(cpu.Microseconds())/benchRows)
				// The output stays until the end: on ext4, creating files
				// shortly after deleting many costs far more (the inode
				// allocator skips recently deleted inodes one by one), so
				// deleting here would slow the next run down.
				b.Cleanup(func() { os.RemoveAll(out) })
			}
		})
	}
}

// writeUsers writes the input: row i belongs to domain i mod 100, so
// every domain's rows are spread over the whole file.
func writeUsers(tb testing.TB, path string) {
	fh, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(fh)
	w.WriteString("email,name\n")
	for i := range benchRows {
		fmt.Fprintf(w, "user%05d@d%03d.test,User %d\n", i, i%benchDomains, i)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	fh.Close()
}

// signingFiles writes a self-signed RSA-2048 certificate and key, the
// usual kind for signing Apple profiles.
func signingFiles(tb testing.TB, dir string) (cert, key string) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailsetup bench"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		tb.Fatal(err)
	}
	cert, key = filepath.Join(dir, "sign.pem"), filepath.Join(dir, "sign.key")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), 0o600)
	return cert, key
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets the kernel's peak resident set size (VmHWM) of this
// process, so each run reports its own peak.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS returns VmHWM from /proc/self/status, in bytes.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
