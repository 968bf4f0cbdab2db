package bulk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
)

// fakeDiscoverer answers discovery from memory, counting the calls per
// domain ("domain" for the normal discovery, "domain|all" for every
// candidate), and holds a domain's answer until its gate is closed.
type fakeDiscoverer struct {
	mu    sync.Mutex
	calls map[string]int
	gates map[string]chan struct{}
}

func newFakeDiscoverer() *fakeDiscoverer {
	return &fakeDiscoverer{calls: map[string]int{}, gates: map[string]chan struct{}{}}
}

// gate makes the domain's discovery wait until the returned channel is
// closed (or the run's context ends).
func (f *fakeDiscoverer) gate(domain string) chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := make(chan struct{})
	f.gates[domain] = g
	return g
}

func (f *fakeDiscoverer) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[key]
}

// discover offers IMAP on imap.<domain>; with all, POP3 on pop.<domain>
// too. The login name is the address discovery ran with, as autoconfig's
// %EMAILADDRESS% gives it.
func (f *fakeDiscoverer) discover(ctx context.Context, addr account.Address, all bool) (*autoconfig.Result, error) {
	d := addr.Domain()
	key := d
	if all {
		key += "|all"
	}
	f.mu.Lock()
	f.calls[key]++
	g := f.gates[d]
	f.mu.Unlock()
	if g != nil {
		select {
		case <-g:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	server := func(p account.Protocol, host string, port int) account.Server {
		return account.Server{Protocol: p, Host: host, Port: port, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: addr.String()}
	}
	cand := func(in account.Server) *autoconfig.Candidate {
		return &autoconfig.Candidate{Trust: account.Trusted, Account: account.Account{
			Email:      addr,
			Incoming:   in,
			Outgoing:   server(account.SMTP, "smtp."+d, 465),
			Provenance: account.Provenance{Source: account.SourceAutoconfig, Trust: account.Trusted, Detail: "https://autoconfig." + d + "/mail/config-v1.1.xml?emailaddress=" + addr.String()},
		}}
	}
	res := &autoconfig.Result{Email: addr.String(), Candidates: []*autoconfig.Candidate{cand(server(account.IMAP, "imap."+d, 993))}}
	if all {
		res.Candidates = append(res.Candidates, cand(server(account.POP3, "pop."+d, 995)))
	}
	return res, nil
}

// runInput runs the engine over in (CSV or JSONL) into dir with the fake
// discoverer, and returns the rows in the order OnRow saw them.
func runInput(t *testing.T, ctx context.Context, in io.Reader, format Format, dir string, fd *fakeDiscoverer, rowDone func(*RowResult)) ([]*RowResult, *Outcome, error) {
	t.Helper()
	rd, err := NewReader(in, format, testParser)
	if err != nil {
		t.Fatal(err)
	}
	var rows []*RowResult
	out, err := Run(ctx, rd, Config{
		Dir:      dir,
		Formats:  []string{"json"},
		Jobs:     2,
		Discover: fd.discover,
		OnRow:    func(r *RowResult) { rows = append(rows, r) },
		rowDone:  rowDone,
	})
	return rows, out, err
}

// accountJSON reads the account.json the json format wrote for addr.
func accountJSON(t *testing.T, dir, addr string) string {
	t.Helper()
	a, err := account.ParseAddress(addr)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, a.FileName(), "account.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRunDiscoversEachDomainOnce: however many rows a domain has, its
// settings are discovered once, and the "every candidate" discovery that
// a row wanting POP3 needs is asked once too. Each row gets the domain's
// settings with its own login name, in input order.
func TestRunDiscoversEachDomainOnce(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("email,incoming\n")
	domains := []string{"one.test", "two.test", "three.test"}
	for i := range 20 {
		for _, d := range domains {
			fmt.Fprintf(&csv, "u%d@%s,\n", i, d)
		}
	}
	csv.WriteString("p1@two.test,pop3\np2@two.test,pop3\n")
	fd := newFakeDiscoverer()
	dir := t.TempDir()
	rows, out, err := runInput(t, context.Background(), strings.NewReader(csv.String()), CSV, dir, fd, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range domains {
		if n := fd.count(d); n != 1 {
			t.Errorf("%s discovered %d times, want once", d, n)
		}
	}
	if n := fd.count("two.test|all"); n != 1 {
		t.Errorf("two.test's candidates asked %d times, want once", n)
	}
	if n := fd.count("one.test|all") + fd.count("three.test|all"); n != 0 {
		t.Errorf("every candidate asked %d times for domains without POP3 rows", n)
	}
	s := out.Summary
	if s.Rows != 62 || s.OK != 62 || s.Discoveries != 4 || s.Domains != 3 {
		t.Errorf("summary %+v, want 62 rows ok, 4 discoveries, 3 domains", s)
	}
	for i, r := range rows {
		if r.Line != i+2 || r.Status != StatusOK || r.Source != account.SourceAutoconfig {
			t.Errorf("row %d: %+v", i, r)
		}
	}
	for _, d := range out.Domains {
		if d.Rows == 0 || d.Discovery == nil || d.Discovery.Incoming == "" || d.File == "" {
			t.Errorf("domain %+v", d)
		}
	}
	if got := accountJSON(t, dir, "u7@three.test"); !strings.Contains(got, `"username": "u7@three.test"`) || !strings.Contains(got, "imap.three.test") {
		t.Errorf("u7@three.test's account.json:\n%s", got)
	}
	if got := accountJSON(t, dir, "p2@two.test"); !strings.Contains(got, `"username": "p2@two.test"`) || !strings.Contains(got, "pop.two.test") {
		t.Errorf("p2@two.test's account.json:\n%s", got)
	}
}

// TestRunParksRowsWaitingForDiscovery: more rows than there are row
// workers wait for one domain whose discovery does not answer; the rows
// of another domain, further down the input, are done meanwhile. The slow
// domain's discovery is let go only once every row of the fast one is
// done, so a run that held a goroutine per waiting row (or stopped at the
// first waiting row) never ends: the test then fails by its timeout.
func TestRunParksRowsWaitingForDiscovery(t *testing.T) {
	const slowRows, fastRows = Running + 16, 40
	var in strings.Builder
	for i := range slowRows {
		fmt.Fprintf(&in, `{"email":"s%d@slow.test"}`+"\n", i)
	}
	for i := range fastRows {
		fmt.Fprintf(&in, `{"email":"f%d@fast.test"}`+"\n", i)
	}
	fd := newFakeDiscoverer()
	slow := fd.gate("slow.test")
	fastDone, slowDone := 0, 0
	rowDone := func(r *RowResult) {
		switch {
		case strings.HasSuffix(r.Email, "@fast.test"):
			if r.Status != StatusOK {
				t.Errorf("fast row %+v", r)
			}
			if fastDone++; fastDone == fastRows {
				close(slow)
			}
		case fastDone < fastRows:
			t.Errorf("%s done before the fast domain's rows", r.Email)
		default:
			slowDone++
		}
	}
	rows, out, err := runInput(t, context.Background(), strings.NewReader(in.String()), JSONL, t.TempDir(), fd, rowDone)
	if err != nil {
		t.Fatal(err)
	}
	if fastDone != fastRows || slowDone != slowRows {
		t.Errorf("%d fast and %d slow rows done, want %d and %d", fastDone, slowDone, fastRows, slowRows)
	}
	if fd.count("slow.test") != 1 || fd.count("fast.test") != 1 || out.Summary.OK != slowRows+fastRows {
		t.Errorf("discoveries %v, summary %+v", fd.calls, out.Summary)
	}
	for i, r := range rows {
		if r.Line != i+1 {
			t.Fatalf("row %d reported as line %d: not in input order", i, r.Line)
		}
	}
}

// TestRunResumes: a second run over the same output skips the rows whose
// files are all there, without discovering their domains again, does the
// new rows, and writes again a file that a crash left empty.
func TestRunResumes(t *testing.T) {
	dir := t.TempDir()
	first := "email\na@one.test\nb@one.test\nc@two.test\n"
	if _, out, err := runInput(t, context.Background(), strings.NewReader(first), CSV, dir, newFakeDiscoverer(), nil); err != nil || out.Summary.OK != 3 {
		t.Fatalf("first run: %+v, %v", out, err)
	}
	before := accountJSON(t, dir, "a@one.test")
	b, _ := account.ParseAddress("b@one.test")
	if err := os.Truncate(filepath.Join(dir, b.FileName(), "account.json"), 0); err != nil {
		t.Fatal(err)
	}

	fd := newFakeDiscoverer()
	rows, out, err := runInput(t, context.Background(), strings.NewReader(first+"d@three.test\n"), CSV, dir, fd, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Status{"a@one.test": StatusSkipped, "b@one.test": StatusOK, "c@two.test": StatusSkipped, "d@three.test": StatusOK}
	for _, r := range rows {
		if r.Status != want[r.Email] || len(r.Files) != 1 {
			t.Errorf("%s: %+v, want %s with its file", r.Email, r, want[r.Email])
		}
	}
	if len(rows) != 4 || out.Summary.Skipped != 2 || out.Summary.OK != 2 {
		t.Errorf("summary %+v", out.Summary)
	}
	if fd.count("two.test") != 0 || fd.count("one.test") != 1 || fd.count("three.test") != 1 || out.Summary.Discoveries != 2 {
		t.Errorf("second run discovered %v (%d), want one.test (for the emptied file) and three.test", fd.calls, out.Summary.Discoveries)
	}
	if got := accountJSON(t, dir, "a@one.test"); got != before {
		t.Errorf("a skipped row's file changed:\n%s", got)
	}
	if got := accountJSON(t, dir, "b@one.test"); !strings.Contains(got, "b@one.test") {
		t.Errorf("the emptied file was not written again:\n%s", got)
	}
}

// TestRunCancelled: cancelling the run while rows wait for a discovery
// that does not answer and the input has not ended (a pipe nobody
// writes to any more) ends Run with the context's error; the rows done
// until then are reported as done, the waiting ones as cancelled, and
// nothing more is read.
func TestRunCancelled(t *testing.T) {
	const fastRows, slowRows = 5, 3
	var in strings.Builder
	in.WriteString("email\n")
	for i := range fastRows {
		fmt.Fprintf(&in, "f%d@fast.test\n", i)
	}
	for i := range slowRows {
		fmt.Fprintf(&in, "s%d@slow.test\n", i)
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fd := newFakeDiscoverer()
	fd.gate("slow.test") // never opened
	rd, err := NewReader(Interruptible(ctx, io.MultiReader(strings.NewReader(in.String()), pr)), CSV, testParser)
	if err != nil {
		t.Fatal(err)
	}
	var rows []*RowResult
	dir := t.TempDir()
	out, err := Run(ctx, rd, Config{Dir: dir, Formats: []string{"json"}, Jobs: 2, Discover: fd.discover,
		OnRow: func(r *RowResult) {
			rows = append(rows, r)
			if len(rows) == fastRows {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v, want context.Canceled", err)
	}
	if len(rows) != fastRows+slowRows || out.Summary.Rows != fastRows+slowRows || out.Summary.OK != fastRows || out.Summary.Failed != slowRows {
		t.Fatalf("summary %+v, rows %d", out.Summary, len(rows))
	}
	for _, r := range rows[:fastRows] {
		if r.Status != StatusOK || len(r.Files) != 1 {
			t.Errorf("done row %+v", r)
		}
	}
	for _, r := range rows[fastRows:] {
		if r.Status != StatusFailed || len(r.Errors) != 1 || r.Errors[0].Code != "cancelled" {
			t.Errorf("waiting row %+v, want failed as cancelled", r)
		}
		a, _ := account.ParseAddress(r.Email)
		if _, err := os.Lstat(filepath.Join(dir, a.FileName())); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a cancelled row has a folder (%v)", r.Email, err)
		}
	}
	if n := fd.count("slow.test"); n != 1 {
		t.Errorf("slow.test discovered %d times", n)
	}
}
