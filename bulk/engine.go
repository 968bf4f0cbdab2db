// Package bulk onboards many accounts in one run: it reads rows from CSV
// or JSON Lines as a stream, validates each with its line and column,
// discovers settings once per domain (a singleflight cache), probes each
// distinct server once, tests logins at a bounded rate per server, renders
// the chosen export formats on a bounded worker pool, writes them under
// DIR/<address>/ plus one domain-wide autoconfig file per domain under
// DIR/_domains/<domain>/, and reports every row in input order.
//
// Memory does not grow with the number of rows: at most Window rows are
// in flight, results leave in input order as soon as they are complete,
// and only per-domain and per-address bookkeeping is kept.
//
// Passwords from the input go only into the exports (when the caller
// asks) and into login tests; they never reach a report or a log.
package bulk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/fsutil"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/templates"
)

// DomainFileName is the name of the domain-wide autoconfig file under
// DIR/_domains/<domain>/.
const DomainFileName = "config-v1.1.xml"

// DomainsDir is the folder of DIR that holds one folder per domain, named
// by account.Address.DomainFileName: the domain itself, or, for a domain
// Windows cannot name a folder after ("nul.example") or one over
// account.MaxFileName bytes, an escaped form.
const DomainsDir = "_domains"

// tbDomainFile is the thunderbird format's domain-wide file: in a bulk
// run it goes once to DIR/_domains/<domain>/ instead of every user's
// folder.
const tbDomainFile = "config-v1.1-domain.xml"

// MaxDiscoveries is the most domains discovered at once. A discovery
// spends nearly all its time waiting for the network (half a second is
// typical), and every row of a domain waits for it, so a run with many
// domains is bound by how many run at once rather than by the CPU.
const MaxDiscoveries = 32

// Window is the most rows in flight at once (read but not yet
// reported). Rows waiting for their domain's discovery cost a few hundred
// bytes each, so the window is wide enough for the rows of domains
// already discovered to go on while others are still being discovered.
const Window = 8192

// Running is the most row workers: the goroutines that check, render
// and write rows, or wait for a probe or a login for them.
const Running = 64

// Status is a row's outcome.
type Status string

// Row outcomes.
const (
	StatusOK      Status = "ok"      // files written, nothing to report
	StatusWarning Status = "warning" // files written, with warnings
	StatusFailed  Status = "failed"  // nothing written for the row; see errors
	StatusSkipped Status = "skipped" // files already there (a resumed run), or an exact duplicate row
)

// RowResult is the report of one row. It never holds a password.
type RowResult struct {
	Line  int    `json:"line"`
	Email string `json:"email"`
	// Status is ok, warning, failed or skipped.
	Status Status `json:"status"`
	// Source is where the settings came from: manual (the row's own
	// servers) or a discovery source.
	Source account.Source `json:"source,omitempty"`
	// Files are the row's files, written now or found from an earlier run.
	Files    []string `json:"files"`
	Warnings []Issue  `json:"warnings"`
	Errors   []Issue  `json:"errors"`

	// cat is the catalogue of the row's language: bulk's own messages
	// about the row come from it (the codes do not change).
	cat *i18n.Catalog
}

func (r *RowResult) warn(code, format string, args ...any) {
	r.Warnings = appendIssue(r.Warnings, Issue{Code: code, Message: fmt.Sprintf(format, args...)})
}

func (r *RowResult) fail(code, format string, args ...any) {
	r.Errors = appendIssue(r.Errors, Issue{Code: code, Message: fmt.Sprintf(format, args...)})
}

// warnT and failT add an issue whose message is the catalogue's key in the
// row's language; arguments that are messages or errors that word
// themselves (i18n.Renderer, i18n.Coded) are rendered in it too.
func (r *RowResult) warnT(code, key string, args ...any) {
	r.Warnings = appendIssue(r.Warnings, Issue{Code: code, Message: r.catalog().Render(i18n.M(key, args...))})
}

func (r *RowResult) failT(code, key string, args ...any) {
	r.Errors = appendIssue(r.Errors, Issue{Code: code, Message: r.catalog().Render(i18n.M(key, args...))})
}

// catalog returns the row's catalogue, English when none was set.
func (r *RowResult) catalog() *i18n.Catalog {
	if r.cat == nil {
		r.cat = i18n.New(i18n.EN)
	}
	return r.cat
}

func appendIssue(list []Issue, is Issue) []Issue {
	if slices.Contains(list, is) {
		return list
	}
	return append(list, is)
}

// Config is what a run does. Discover is required.
type Config struct {
	// Formats are the export formats (templates.Formats names).
	Formats []string
	// Templates are the rendering options shared by every row (signer
	// included, parsed once); Password is filled per row.
	Templates templates.Options
	// IncludePassword puts each row's password into the formats that can
	// carry one.
	IncludePassword bool
	// Dir is the output folder.
	Dir string
	// Input names the input in the provenance of rows that give their
	// own servers.
	Input string
	// Force replaces existing files; without it rows whose files exist
	// are skipped, so an interrupted run resumes.
	Force bool
	// Jobs bounds the rows rendered at once; runtime.NumCPU() when 0.
	// Network waits (discovery, probes, logins) and file writes overlap
	// with rendering: up to MaxDiscoveries discoveries and 8×Jobs probes
	// and logins at once.
	Jobs int
	// Yes accepts discovered settings that need confirmation.
	Yes bool
	// POP3, when set, replaces the POP3 options of POP3 accounts (as
	// autoconfig.WithPOP3Options: DaysOnServer is dropped when
	// LeaveOnServer is off).
	POP3 *account.POP3Options
	// Timeout bounds each discovery, probe and login.
	Timeout time.Duration
	// Discover finds the settings for an address. With all, it returns
	// every candidate of the deciding source without the live check (the
	// run verifies the one it picks): it is asked only when a row wants an
	// incoming protocol that the normal discovery did not offer.
	Discover func(ctx context.Context, addr account.Address, all bool) (*autoconfig.Result, error)
	// Verify checks the servers of candidates picked from an "all"
	// discovery live, as discovery checks its own pick.
	Verify bool
	// Probe checks each distinct server once (no login).
	Probe bool
	// Login tests each row's password once on its incoming server, at
	// most LoginRate logins per second per server (1 when 0).
	Login     bool
	LoginRate float64
	// ProbeOptions configure probes and logins.
	ProbeOptions probe.Options
	// OnRow receives every row's result, in input order, from one
	// goroutine.
	OnRow func(*RowResult)

	// folderName names a row's folder; account.Address.FileName unless a
	// test sets it.
	folderName func(account.Address) string
	// rowDone, when a test sets it, sees each row's result as soon as the
	// row is done, before the rows read earlier are (from one goroutine).
	rowDone func(*RowResult)
}

// DomainResult is the report of one domain.
type DomainResult struct {
	Domain string `json:"domain"`
	// Rows counts the domain's rows with a valid address.
	Rows int `json:"rows"`
	// Discovery is set when the domain's settings were discovered.
	Discovery *DomainDiscovery `json:"discovery,omitempty"`
	// File is DIR/_domains/<domain>/config-v1.1.xml, once written.
	File string `json:"file,omitempty"`
}

// DomainDiscovery is what discovery found for a domain.
type DomainDiscovery struct {
	Source   account.Source `json:"source,omitempty"`
	Trust    account.Trust  `json:"trust,omitempty"`
	Provider string         `json:"provider,omitempty"`
	Incoming string         `json:"incoming,omitempty"`
	Outgoing string         `json:"outgoing,omitempty"`
	Verified bool           `json:"verified"`
	Error    *Issue         `json:"error,omitempty"`
}

// Summary counts a run's rows.
type Summary struct {
	Rows     int `json:"rows"`
	OK       int `json:"ok"`
	Warnings int `json:"warnings"`
	Failed   int `json:"failed"`
	Skipped  int `json:"skipped"`
	Domains  int `json:"domains"`
	// Discoveries and Probes count the network checks made; Logins the
	// login tests whose credentials were sent (not those refused for want
	// of verified TLS).
	Discoveries int     `json:"discoveries"`
	Probes      int     `json:"probes"`
	Logins      int     `json:"logins"`
	DurationMS  float64 `json:"duration_ms"`
}

// Outcome is the result of Run.
type Outcome struct {
	Summary Summary
	Domains []DomainResult
}

type domainState struct {
	rows int

	mu   sync.Mutex
	done bool   // the domain file was dealt with
	path string // the domain file, once there
}

type engine struct {
	cfg     Config
	disc    *discoveryCache
	probes  *probeCache
	logins  *loginCache
	cpu     chan struct{} // rendering
	work    chan func()   // rows for the row workers
	workers atomic.Int32  // row workers started
	io      chan struct{} // rendering and writing: bounds rendered data in memory
	out     *fsutil.OutputDir

	mu      sync.Mutex
	domains map[string]*domainState
}

// Run processes every row of rd and returns the summary. It returns an
// *InputError when the input cannot be read on, and ctx's error when
// cancelled; rows reported until then stay reported. Row failures are
// not errors: they are in the results and the summary.
func Run(ctx context.Context, rd *Reader, cfg Config) (*Outcome, error) {
	start := time.Now()
	e := newEngine(cfg)
	rd.lang = cfg.Templates.Lang

	// The output folder is this run's alone while it runs: what a killed
	// run left half-written there can go, and the folder is synced
	// through one handle that sees every write error of the run.
	outDir, err := fsutil.OpenOutputDir(cfg.Dir)
	if err != nil {
		return &Outcome{}, err
	}
	defer outDir.Close()
	e.out = outDir
	outDir.RemoveStaleTemp() // best effort: a leftover is hidden and harmless
	stopSync := syncEvery(outDir.Sync, SyncInterval)

	rep := newReporter(e.cfg.OnRow, e.cfg.rowDone)
	runErr := e.feed(ctx, rd, rep)
	close(e.work) // every row is done: the workers end
	sum := rep.close()

	if err := stopSync(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr == nil {
		runErr = ctx.Err()
	}
	return e.outcome(sum, start), runErr
}

// newEngine sets up a run's caches and bounds from cfg.
func newEngine(cfg Config) *engine {
	jobs := cfg.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	rate := cfg.LoginRate
	if rate <= 0 {
		rate = 1
	}
	if cfg.folderName == nil {
		cfg.folderName = account.Address.FileName
	}
	netSem := make(chan struct{}, 8*jobs)
	discSem := make(chan struct{}, max(MaxDiscoveries, 8*jobs))
	return &engine{
		cfg:     cfg,
		disc:    &discoveryCache{discover: cfg.Discover, sem: discSem, timeout: cfg.Timeout},
		probes:  &probeCache{opts: cfg.ProbeOptions, sem: netSem, timeout: cfg.Timeout},
		logins:  &loginCache{opts: cfg.ProbeOptions, sem: netSem, timeout: cfg.Timeout, interval: time.Duration(float64(time.Second) / rate), next: map[string]time.Time{}},
		cpu:     make(chan struct{}, jobs),
		work:    make(chan func()),
		io:      make(chan struct{}, 4*jobs),
		domains: map[string]*domainState{},
	}
}

// feed reads the rows and starts each one, with at most Window rows in
// flight, and returns once every row read is reported: with nil at the
// end of the input, the input's error, or ctx's error when cancelled.
func (e *engine) feed(ctx context.Context, rd *Reader, rep *reporter) error {
	var rows sync.WaitGroup
	defer rows.Wait()
	seen := seenRows{addrs: map[string]seenRow{}, folders: map[string]int{}}
	for seq := 0; ; seq++ {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if ctx.Err() != nil {
				// Reading stopped because the run was interrupted.
				return ctx.Err()
			}
			return err
		}
		if err := acquire(ctx, rep.window); err != nil {
			return err
		}
		if r := e.admit(row, &seen); r != nil {
			rep.report(seq, r)
			continue
		}
		// At most Running rows have a goroutine; the rest of the window
		// waits as data: parked until their domain is discovered, or in
		// this loop.
		rows.Add(1)
		e.spawn(ctx, func() {
			e.process(ctx, row, func(r *RowResult) {
				rep.report(seq, r)
				rows.Done()
			})
		})
	}
}

// seenRows is what a run remembers of the valid rows it has read.
type seenRows struct {
	addrs map[string]seenRow // by address, case-folded
	// folders holds the case-folded folder names taken in this run, with
	// their line: two addresses never share one (a file system may ignore
	// case).
	folders map[string]int
}

type seenRow struct {
	line int
	key  uint64
}

// admit checks a valid row against the rows read before it. A row whose
// address came before, or whose folder is another address's, ends here:
// admit returns its result. Otherwise the row counts for its domain and
// admit returns nil.
func (e *engine) admit(row *Row, seen *seenRows) *RowResult {
	if len(row.Errors) > 0 {
		return nil // reported by process, with its input errors
	}
	id := strings.ToLower(row.Addr.String())
	if first, dup := seen.addrs[id]; dup {
		r := e.newResult(row)
		if first.key == row.key {
			r.Status = StatusSkipped
			r.warnT("input.duplicate", "bulkrow.duplicate.same", first.line)
		} else {
			r.failT("input.duplicate", "bulkrow.duplicate.other", row.Email, first.line)
		}
		r.Status = status(r)
		return r
	}
	seen.addrs[id] = seenRow{row.Line, row.key}
	folder := e.cfg.folderName(row.Addr)
	if line, taken := seen.folders[strings.ToLower(folder)]; taken {
		r := e.newResult(row)
		r.failT("output.folder-taken", "bulkrow.folder-taken", folder, line)
		r.Status = status(r)
		return r
	}
	seen.folders[strings.ToLower(folder)] = row.Line
	st := e.domain(row.Addr.Domain())
	row.first = st.rows == 0
	st.rows++
	return nil
}

// reporter hands the rows' results to OnRow in input order, from one
// goroutine, counting them and freeing a window slot for each.
type reporter struct {
	window  chan struct{} // a slot per row in flight
	results chan doneRow
	emitted chan struct{} // closed when every result is out
	sum     Summary       // the rows' counts, once emitted is closed
}

type doneRow struct {
	seq int
	r   *RowResult
}

// newReporter starts the goroutine that calls onRow in input order;
// rowDone, when set, sees each result as soon as it is in, in any order.
func newReporter(onRow, rowDone func(*RowResult)) *reporter {
	rep := &reporter{
		window:  make(chan struct{}, Window),
		results: make(chan doneRow, Window),
		emitted: make(chan struct{}),
	}
	go func() {
		defer close(rep.emitted)
		pending := map[int]*RowResult{}
		next := 0
		for d := range rep.results {
			if rowDone != nil {
				rowDone(d.r)
			}
			pending[d.seq] = d.r
			for r, ok := pending[next]; ok; r, ok = pending[next] {
				delete(pending, next)
				next++
				rep.sum.count(r)
				if onRow != nil {
					onRow(r)
				}
				<-rep.window
			}
		}
	}()
	return rep
}

// report hands in the result of the row read seq-th (from 0).
func (rep *reporter) report(seq int, r *RowResult) { rep.results <- doneRow{seq, r} }

// close waits until every result handed in is out, and returns the
// counts. Nothing may be reported after it.
func (rep *reporter) close() Summary {
	close(rep.results)
	<-rep.emitted
	return rep.sum
}

// outcome is the run's summary and domains, once every row is reported.
func (e *engine) outcome(sum Summary, start time.Time) *Outcome {
	out := &Outcome{Summary: sum}
	out.Summary.Discoveries = int(e.disc.runs.Load())
	out.Summary.Probes = int(e.probes.runs.Load())
	out.Summary.Logins = int(e.logins.sent.Load())
	out.Domains = e.domainResults()
	out.Summary.Domains = len(out.Domains)
	out.Summary.DurationMS = float64(time.Since(start).Microseconds()) / 1000
	return out
}

// SyncInterval is how often a run makes the files written so far
// durable. Rows' files are not fsynced one by one (two fsyncs per file
// cost more than everything else a row does); a crash can lose at most the
// last interval's files, which a resumed run writes again.
const SyncInterval = 2 * time.Second

// syncEvery syncs the output's file system every interval until the
// returned function is called; that one syncs a last time and returns the
// first error of any sync.
func syncEvery(sync func() error, interval time.Duration) (stop func() error) {
	quit := make(chan struct{})
	stopped := make(chan struct{})
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	go func() {
		defer close(stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				keep(sync())
			case <-quit:
				return
			}
		}
	}()
	return func() error {
		close(quit)
		<-stopped
		keep(sync())
		return first
	}
}

func (s *Summary) count(r *RowResult) {
	s.Rows++
	switch r.Status {
	case StatusOK:
		s.OK++
	case StatusWarning:
		s.Warnings++
	case StatusFailed:
		s.Failed++
	case StatusSkipped:
		s.Skipped++
	}
}

// lang returns the row's language: its own, else the run's.
func (e *engine) lang(row *Row) i18n.Lang {
	if row.Lang != "" {
		return row.Lang
	}
	return e.cfg.Templates.Lang
}

func (e *engine) newResult(row *Row) *RowResult {
	email := row.Email
	if row.Addr.IsZero() {
		// Not an address: whatever the field held, cut short.
		email = clip(email, MaxEcho)
	}
	return &RowResult{Line: row.Line, Email: email, Files: []string{}, Warnings: []Issue{}, Errors: []Issue{}, cat: i18n.New(e.lang(row))}
}

func (e *engine) domain(d string) *domainState {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.domains[d]
	if st == nil {
		st = &domainState{}
		e.domains[d] = st
	}
	return st
}

func (e *engine) domainResults() []DomainResult {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]DomainResult, 0, len(e.domains))
	for d, st := range e.domains {
		dr := DomainResult{Domain: d, Rows: st.rows, File: st.path}
		if disc, ok := e.disc.lookup(d); ok {
			dd := &DomainDiscovery{}
			if disc.err != nil {
				dd.Error = &Issue{Code: discoveryCode(disc.err), Message: i18n.New(e.cfg.Templates.Lang).ErrorText(disc.err)}
			} else {
				c := disc.res.Candidates[0]
				dd.Source, dd.Trust, dd.Provider = c.Account.Provenance.Source, c.Trust, c.Provider
				dd.Incoming, dd.Outgoing = c.Account.Incoming.String(), c.Account.Outgoing.String()
				dd.Verified = disc.res.Verified != nil
			}
			dr.Discovery = dd
		}
		out = append(out, dr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Domain < out[j].Domain })
	return out
}

// process does one row's work and reports it.
//
// It runs on a row goroutine (see spawn). A row that needs its domain's
// discovery while that is still running is parked: this goroutine ends,
// and the rest of the row runs on a new one once the discovery is done.
func (e *engine) process(ctx context.Context, row *Row, report func(*RowResult)) {
	r := e.newResult(row)
	finish := func() {
		r.Status = status(r)
		report(r)
	}
	d, finished := e.prepare(row, r)
	if finished {
		finish()
		return
	}
	rest := func() {
		e.complete(ctx, row, r, d)
		finish()
	}
	if row.needsDiscovery() && !e.disc.whenDiscovered(ctx, row.Addr, func() { e.spawn(ctx, rest) }) {
		return // parked
	}
	rest()
}

// spawn runs f on a row worker: an idle one, a new one while there are
// fewer than Running, or the first to become idle. Workers live for the
// whole run, so the stack a row grows while rendering is there for the
// next row instead of being grown again. When ctx has ended, f runs on a
// goroutine of its own at once (the row then fails quickly).
func (e *engine) spawn(ctx context.Context, f func()) {
	select {
	case e.work <- f:
		return
	default:
	}
	if e.workers.Add(1) <= Running {
		go e.worker(f)
		return
	}
	e.workers.Add(-1)
	select {
	case e.work <- f:
	case <-ctx.Done():
		go f()
	}
}

// worker runs f, then whatever spawn hands it, until the run closes
// e.work.
func (e *engine) worker(f func()) {
	for ok := true; ok; f, ok = <-e.work {
		f()
	}
}

// rowDir is a row's folder and what an earlier run left in it.
type rowDir struct {
	name     string // relative to the output folder
	path     string
	isNew    bool            // the folder is not there yet
	existing map[string]bool // the names of its files that have content
}

// prepare checks a row before any network work: input errors, and files
// from an earlier run (the row is skipped when they are all there). It
// reports whether the row is finished.
func (e *engine) prepare(row *Row, r *RowResult) (d rowDir, finished bool) {
	if len(row.Errors) > 0 {
		r.Errors = append(r.Errors, row.Errors...)
		return d, true
	}
	d.name = e.cfg.folderName(row.Addr)
	d.path = e.out.Path(d.name)
	_, err := e.out.Lstat(d.name)
	d.isNew = errors.Is(err, os.ErrNotExist)
	d.existing = map[string]bool{}
	if errors.Is(err, fsutil.ErrSymlink) {
		r.failT("output.symlink", "bulkrow.write.symlink", d.path)
		return d, true
	}
	if e.cfg.Force || d.isNew {
		return d, false
	}
	names, err := e.existingFiles(row.Addr)
	if err != nil {
		r.failT("write.failed", "bulkrow.write.failed", err)
		return d, true
	}
	all := len(names) > 0
	for _, n := range names {
		p := d.name + "/" + n
		switch st, err := e.out.Lstat(p); {
		case errors.Is(err, fsutil.ErrSymlink):
			r.failT("output.symlink", "bulkrow.write.symlink", filepath.Join(d.path, n))
			return d, true
		case err == nil && st.Mode().IsRegular() && st.Size() > 0:
			d.existing[n] = true
		case err == nil && st.Mode().IsRegular():
			// Every file we write has content: an empty one is what a
			// crash can leave of a file that had not reached the disk
			// yet. Write it again.
			e.out.Remove(p)
			all = false
		default:
			all = false
		}
	}
	if !all {
		return d, false
	}
	r.Status = StatusSkipped
	for _, n := range names {
		r.Files = append(r.Files, filepath.Join(d.path, n))
	}
	return d, true
}

// complete does the rest of a prepared row: its account (discovered
// settings, once per domain), probes and login, rendering and writing.
func (e *engine) complete(ctx context.Context, row *Row, r *RowResult, d rowDir) {
	a, domainAcct, ok := e.account(ctx, row, r)
	if !ok {
		return
	}
	r.Source = a.Provenance.Source
	if e.cfg.Probe {
		for _, s := range []account.Server{a.Incoming, a.Outgoing} {
			ep, _ := e.probes.get(ctx, s)
			e.findings(r, s, ep, false)
		}
	}
	if e.cfg.Login {
		e.login(ctx, row, a, r)
	}
	if len(r.Errors) > 0 {
		return
	}
	if err := acquire(ctx, e.io); err != nil {
		r.failT("cancelled", "bulkrow.cancelled")
		return
	}
	defer func() { <-e.io }()
	files, ok := e.render(ctx, row, a, r)
	if !ok || !e.write(d, files, r) {
		return
	}
	switch {
	case domainAcct != nil:
		e.domainFile(ctx, *domainAcct, r)
	case row.first:
		e.domainFile(ctx, a, r)
	}
}

// write writes the row's files that an earlier run did not leave, and
// lists them all in the row's result. It reports whether they are all
// there.
func (e *engine) write(d rowDir, files []templates.File, r *RowResult) bool {
	var write []templates.File
	for _, f := range files {
		if !d.existing[f.Name] {
			write = append(write, f)
		}
	}
	if d.isNew {
		// The usual case: the row's folder appears at once, complete, and
		// the run syncs the file system in batches.
		switch err := e.out.WriteDir(d.name, dirFiles(write)); {
		case err == nil:
			write = nil
		case errors.Is(err, fsutil.ErrExists) && e.cfg.Force:
			// Made since we looked, by another program: --force writes
			// into it below (never through a link: WriteFile refuses).
		case errors.Is(err, fsutil.ErrExists):
			r.failT("write.exists", "bulkrow.write.exists", d.path)
			return false
		default:
			r.failT("write.failed", "bulkrow.write.failed", err)
			return false
		}
	}
	for _, f := range write {
		if err := e.out.WriteFile(d.name+"/"+f.Name, f.Data, f.Mode, e.cfg.Force); err != nil {
			path := filepath.Join(d.path, f.Name)
			switch {
			case errors.Is(err, fsutil.ErrExists):
				r.failT("write.exists", "bulkrow.write.exists", path)
			case errors.Is(err, fsutil.ErrSymlink):
				r.failT("output.symlink", "bulkrow.write.symlink", path)
			default:
				r.failT("write.failed", "bulkrow.write.failed", err)
			}
			return false
		}
	}
	for _, f := range files {
		r.Files = append(r.Files, filepath.Join(d.path, f.Name))
	}
	return true
}

func status(r *RowResult) Status {
	switch {
	case len(r.Errors) > 0:
		return StatusFailed
	case r.Status == StatusSkipped:
		return StatusSkipped
	case len(r.Warnings) > 0:
		return StatusWarning
	}
	return StatusOK
}

// existingFiles returns the names of the files the row gets, for a folder
// that exists already (a resumed run). File names depend
// only on the address and the format, so they come from rendering a
// stand-in account, without discovery.
func (e *engine) existingFiles(addr account.Address) ([]string, error) {
	host := addr.Domain()
	a := account.Account{
		Email:    addr,
		Incoming: account.Server{Protocol: account.IMAP, Host: host, Port: 993, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: addr.String()},
		Outgoing: account.Server{Protocol: account.SMTP, Host: host, Port: 465, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: addr.String()},
	}
	var names []string
	for _, format := range e.cfg.Formats {
		files, err := templates.Render(format, a, templates.Options{OrgID: e.cfg.Templates.OrgID, Device: e.cfg.Templates.Device})
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if f.Name != tbDomainFile {
				names = append(names, f.Name)
			}
		}
	}
	return names, nil
}

// account builds the row's account with autoconfig's settings policy
// (Result.Choose): its own servers where it gives them, discovered
// settings (once per domain) for the rest, the best candidate with the
// row's incoming protocol, taken from every candidate of the deciding
// source when the normal discovery offers none with it. It also returns
// the domain's discovered account when discovery was used.
func (e *engine) account(ctx context.Context, row *Row, r *RowResult) (a account.Account, domainAcct *account.Account, ok bool) {
	p := autoconfig.Preferences{Email: row.Addr, Incoming: row.Incoming, User: row.Username, Name: row.Name, NameSet: true, POP3: e.cfg.POP3}
	if row.IncomingServer != nil {
		p.IncomingServer = *row.IncomingServer
	}
	if row.OutgoingServer != nil {
		p.OutgoingServer = *row.OutgoingServer
	}
	var res *autoconfig.Result
	if row.needsDiscovery() {
		d := e.disc.get(ctx, row.Addr, false)
		if d.err != nil {
			err := d.err
			var de *autoconfig.DomainError
			if errors.As(err, &de) {
				err = de.For(row.Addr) // the row's own address and "did you mean"
			}
			r.failT(discoveryCode(err), "bulkrow.discovery-failed", row.Addr.Domain(), err)
			return a, nil, false
		}
		res, domainAcct = d.res, &d.res.Candidates[0].Account
	}
	a, ch, err := res.Choose(p, e.cfg.Yes)
	fromAll := false
	var nc *autoconfig.NoCandidateError
	if errors.As(err, &nc) {
		// Discovery stops at the first candidate that passes its live
		// check; ask for all of the deciding source's candidates.
		if all := e.disc.get(ctx, row.Addr, true); all.err == nil {
			a, ch, err = all.res.Choose(p, e.cfg.Yes)
			fromAll = true
		}
	}
	var ce *autoconfig.ConfirmError
	switch {
	case errors.As(err, &nc):
		r.failT("discovery.no-"+row.Incoming.String(), "bulkrow.discovery-none", row.Incoming.Label(), row.Addr.Display())
		return a, nil, false
	case errors.As(err, &ce):
		c := ce.Choice.Candidate
		r.failT("discovery.needs-confirmation", "bulkrow.needs-confirmation",
			c.Account.Incoming, c.Account.Provenance.Source, strings.Join(ce.Choice.ConfirmIn(r.catalog()), r.catalog().T("bulkrow.and")))
		return a, nil, false
	}
	if c := ch.Candidate; c != nil {
		unverified := c.Verification != nil && !c.Verification.OK
		if fromAll {
			unverified = e.cfg.Verify && !e.verify(ctx, c.Account)
		}
		if unverified {
			r.warnT("discovery.unverified", "bulkrow.unverified", row.Addr.String())
		}
	} else {
		a.Provenance.Detail = fmt.Sprintf("%s line %d", e.cfg.Input, row.Line)
	}
	if err != nil {
		r.fail("account.invalid", "%s", r.catalog().ErrorText(err))
		return a, nil, false
	}
	for _, s := range []account.Server{a.Incoming, a.Outgoing} {
		if s.Security == account.None {
			r.warnT(string(probe.CodeSecurityNone), "bulkrow.security-none", s.Address())
		}
	}
	return a, domainAcct, true
}

// verify checks an account's servers live once per endpoint, as
// discovery checks its pick: connect, TLS, greeting, no login.
func (e *engine) verify(ctx context.Context, a account.Account) bool {
	for _, s := range []account.Server{a.Incoming, a.Outgoing} {
		ep, err := e.probes.get(ctx, s)
		if err != nil || ep == nil || ep.Verdict == probe.VerdictFail {
			return false
		}
	}
	return true
}

// findings adds a probe's warnings and errors to the row. With authOnly
// only the login's findings count (the endpoint itself is --probe's).
func (e *engine) findings(r *RowResult, s account.Server, ep *probe.Endpoint, authOnly bool) {
	if ep == nil {
		// The run was cancelled before the check (the cache returns no
		// endpoint only then).
		r.failT("cancelled", "bulkrow.cancelled-server", s)
		return
	}
	for _, f := range ep.Findings {
		if authOnly && !strings.HasPrefix(string(f.Code), "auth.") && f.Severity < probe.SevError {
			continue
		}
		f = f.In(r.catalog())
		msg := s.String() + ": " + f.Message
		if f.Fix != "" {
			msg += " " + r.catalog().T("bulkrow.fix", f.Fix)
		}
		switch f.Severity {
		case probe.SevError:
			r.Errors = appendIssue(r.Errors, Issue{Code: string(f.Code), Message: msg})
		case probe.SevWarn:
			r.Warnings = appendIssue(r.Warnings, Issue{Code: string(f.Code), Message: msg})
		}
	}
}

// login tests the row's password once on the incoming server.
func (e *engine) login(ctx context.Context, row *Row, a account.Account, r *RowResult) {
	s := a.Incoming
	if row.Password == "" {
		r.warnT(string(probe.CodeAuthSkippedNoPassword), "bulkrow.login-no-password", s)
		return
	}
	if !s.Auth.UsesPassword() {
		r.warnT("auth.skipped", "bulkrow.login-not-password", s, s.Auth.Label())
		return
	}
	ep, _ := e.logins.get(ctx, s, s.Username, row.Password)
	e.findings(r, s, ep, e.cfg.Probe)
}

// render renders every format, with the row's password when asked. The
// thunderbird format's domain-wide file is left out: it goes to
// DIR/_domains/<domain>/ once.
func (e *engine) render(ctx context.Context, row *Row, a account.Account, r *RowResult) (files []templates.File, ok bool) {
	if err := acquire(ctx, e.cpu); err != nil {
		r.failT("cancelled", "bulkrow.cancelled")
		return nil, false
	}
	defer func() { <-e.cpu }()
	o := e.cfg.Templates
	o.Lang = e.lang(row)
	o.Password, o.IncludePassword = "", false
	if e.cfg.IncludePassword {
		o.IncludePassword = true
		o.Password = string(row.Password)
		if row.Password == "" {
			r.warnT("password.missing", "bulkrow.password-missing")
		}
	}
	// A format that cannot use any of the servers' sign-in methods is left
	// out with a warning; the row fails only when nothing could be written.
	fs, ws, err := templates.RenderEach(e.cfg.Formats, a, o)
	if err != nil {
		r.fail("render.failed", "%s", r.catalog().ErrorText(err))
		return nil, false
	}
	for _, w := range ws {
		r.warn(w.Code, "%s", w.Message)
	}
	for _, f := range fs {
		if f.Name != tbDomainFile {
			files = append(files, f)
		}
	}
	return files, true
}

// domainFile writes DIR/_domains/<domain>/config-v1.1.xml once per run:
// the placeholder version of the domain's discovered settings, or, for a
// domain whose rows all give their own servers, of its first row's. An
// existing file is kept unless --force.
func (e *engine) domainFile(ctx context.Context, a account.Account, r *RowResult) {
	d := a.Email.Domain()
	st := e.domain(d)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.done {
		return
	}
	st.done = true
	dir := DomainsDir + "/" + a.Email.DomainFileName()
	name := dir + "/" + DomainFileName
	_, err := e.out.Lstat(name)
	if err == nil && !e.cfg.Force {
		st.path = e.out.Path(name)
		return
	}
	if err == nil || errors.Is(err, os.ErrNotExist) {
		var data []byte
		data, err = e.domainData(ctx, autoconfig.WithPOP3Options(a, e.cfg.POP3))
		if err == nil {
			err = e.out.MkdirAll(dir)
		}
		if err == nil {
			err = e.out.WriteFile(name, data, 0o644, e.cfg.Force)
		}
	}
	switch {
	case errors.Is(err, fsutil.ErrSymlink):
		r.failT("output.symlink", "bulkrow.domain-file.symlink", d, err)
		return
	case err != nil:
		r.warnT("domain.write-failed", "bulkrow.domain-file.failed", d, err)
		return
	}
	st.path = e.out.Path(name)
}

func dirFiles(files []templates.File) []fsutil.DirFile {
	out := make([]fsutil.DirFile, len(files))
	for i, f := range files {
		out[i] = fsutil.DirFile{Name: f.Name, Data: f.Data, Mode: f.Mode}
	}
	return out
}

// domainData renders the thunderbird format's domain-wide file.
func (e *engine) domainData(ctx context.Context, a account.Account) ([]byte, error) {
	if err := acquire(ctx, e.cpu); err != nil {
		return nil, err
	}
	defer func() { <-e.cpu }()
	files, err := templates.Render("thunderbird", a, templates.Options{})
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.Name == tbDomainFile {
			return f.Data, nil
		}
	}
	return nil, fmt.Errorf("the thunderbird format has no %s", tbDomainFile)
}
