// Package templates renders an account.Account into the files mail clients
// import: Apple .mobileconfig profiles, Thunderbird autoconfig and user.js,
// Outlook Autodiscover/.reg/.prf, Thunderbird for Android/K-9 .k9s and QR
// codes, a printable setup sheet, and mailsetup's own JSON. Every renderer
// is deterministic: the same account and options give the same bytes.
package templates

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/xml"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// File is one rendered file.
type File struct {
	// Name is the file name, without a directory.
	Name string
	Data []byte
	// Mode is 0644, or 0600 when the file holds a password.
	Mode fs.FileMode
	// Format is the format that produced the file ("apple", ...).
	Format string
	// HasPassword reports whether Data contains the password.
	HasPassword bool
	// Use tells the person what to do with the file, in one or two
	// sentences ("AirDrop or e-mail it to the iPhone, then ..."), in the
	// language of Options.Lang (the i18n catalogue's use.* keys).
	Use string
	// Admin marks a file only an administrator uses, never a device (the
	// domain-wide autoconfig copy, the Outlook .prf); the guided setup
	// writes such files only when asked for.
	Admin bool
}

// Signer signs Apple profiles: a certificate, its private key and the
// intermediate certificates to include.
type Signer struct {
	Cert  *x509.Certificate
	Key   crypto.Signer
	Chain []*x509.Certificate
}

// Device is the kind of device a profile targets.
type Device string

// Devices for Apple's TargetDeviceType.
const (
	DeviceAny Device = ""
	DeviceIOS Device = "ios" // iPhone and iPad
	DeviceMac Device = "mac"
)

// Options tune the rendering. The zero value is valid.
type Options struct {
	// OrgID is the reverse-DNS prefix of Apple PayloadIdentifiers; a
	// profile for jane@example.com gets "<OrgID>.mailsetup.jane@example.com".
	// Default "org.mailsetup".
	OrgID string
	// Org is the organisation shown in Apple profiles.
	Org string
	// Consent is optional text shown before an Apple profile installs.
	Consent string
	// Device sets Apple's TargetDeviceType when known.
	Device Device
	// Password is put into the formats that can carry one (mobileconfig,
	// .k9s, QR code) only when IncludePassword is set.
	Password        string
	IncludePassword bool
	// OutlookXMLPath is the Windows folder the .reg file points Outlook at;
	// default `C:\Users\Public\mailsetup\`.
	OutlookXMLPath string
	// OutlookDefaultProfile makes the Outlook .prf set its profile as
	// the default one Outlook opens (DefaultProfile=Yes); by default the
	// profile is only added.
	OutlookDefaultProfile bool
	// Sign, when set, signs the Apple profile.
	Sign *Signer
	// Lang is the language of File.Use and of the warnings' messages;
	// empty means English.
	Lang i18n.Lang
	// CheckFailed, when not empty, says that these settings failed the
	// live check and why ("server: reason"): the setup sheet shows it as
	// its first warning.
	CheckFailed string

	// warnings collects what a renderer left out; set by RenderWarn.
	warnings *[]Warning
}

// Warning is something the user should know about an export: a stable
// Code and a Message for people. Renderers report what they left out
// while writing the rest ("qr.too-long"); the commands that export add
// their own about the settings ("security.none",
// "security.starttls-upgraded").
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// warn records a warning when the caller collects them.
func (o Options) warn(code, format string, args ...any) {
	if o.warnings != nil {
		*o.warnings = append(*o.warnings, Warning{Code: code, Message: fmt.Sprintf(format, args...)})
	}
}

// t returns the catalogue message key in the options' language.
func (o Options) t(key string, args ...any) string {
	return i18n.New(o.Lang).T(key, args...)
}

// Renderer produces one format's files.
type Renderer func(a account.Account, o Options) ([]File, error)

var renderers = map[string]Renderer{}

// register adds a format; each format's file calls it from init.
func register(name string, r Renderer) {
	if _, dup := renderers[name]; dup {
		panic("templates: format registered twice: " + name)
	}
	renderers[name] = r
}

// Formats returns the names of every format, sorted.
func Formats() []string {
	out := make([]string, 0, len(renderers))
	for n := range renderers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Render renders account a in the named format. The account must be
// valid; placeholders are expanded first. What the format left out (see
// RenderWarn) is not reported.
func Render(format string, a account.Account, o Options) ([]File, error) {
	o.warnings = nil
	return render(format, a, o)
}

// RenderWarn is Render that also returns what the format left out while
// writing the rest: settings too long for a QR code leave out the
// Android QR image and the setup sheet's code ("qr.too-long"), not the
// other files.
func RenderWarn(format string, a account.Account, o Options) ([]File, []Warning, error) {
	var warnings []Warning
	o.warnings = &warnings
	files, err := render(format, a, o)
	if err != nil {
		return nil, nil, err
	}
	return files, warnings, nil
}

func render(format string, a account.Account, o Options) ([]File, error) {
	r, ok := renderers[format]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (known: %s)", format, strings.Join(Formats(), ", "))
	}
	a = a.Expand()
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", format, err)
	}
	files, err := r(a, o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", format, err)
	}
	for i := range files {
		files[i].Format = format
		if files[i].Mode == 0 {
			files[i].Mode = 0o644
		}
		if files[i].HasPassword {
			files[i].Mode = 0o600
		}
	}
	return files, nil
}

// xmlDocument returns xml.Header, v marshalled with two-space
// indentation, and a newline: what xml.MarshalIndent gives, written
// through a pooled buffer and writer, so that rendering thousands of
// accounts does not grow a new buffer and a new 4 KB writer per file.
func xmlDocument(v any) ([]byte, error) {
	s := xmlPool.Get().(*xmlScratch)
	defer xmlPool.Put(s)
	s.buf.Reset()
	s.buf.WriteString(xml.Header)
	s.w.Reset(&s.buf)
	enc := xml.NewEncoder(s.w) // uses s.w itself: it is a large enough bufio.Writer
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	s.buf.WriteByte('\n')
	return bytes.Clone(s.buf.Bytes()), nil
}

type xmlScratch struct {
	buf bytes.Buffer
	w   *bufio.Writer
}

var xmlPool = sync.Pool{New: func() any {
	s := &xmlScratch{}
	s.w = bufio.NewWriter(&s.buf)
	return s
}}
