package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/qrcode"
)

// The Thunderbird "Export for Mobile" QR code (Thunderbird desktop 128+,
// read by Thunderbird for Android's scanner) is UTF-8 JSON of nested arrays:
//
//	[1, [seq, seqEnd], Incoming, OutgoingGroups, ...up to 3 accounts]
//	Incoming       = [proto, host, port, security, auth, username, accountName, password]
//	OutgoingGroups = [[[0, host, port, security, auth, username, password], [email, displayName]]]
//
// Optional strings are "" (never null), hosts and addresses ASCII, and the
// code uses error-correction level L.
//
// The fields are what Thunderbird desktop's own QRExport.getAccountData
// (comm-central mail/modules/QRExport.sys.mjs) writes, in its order: every
// element present, the incoming server's username, its prettyName as the
// account name (Thunderbird's account wizard sets it to the e-mail
// address), the password or "", and one outgoing group of the SMTP server
// and the identity [email, fullName]. Thunderbird for Android's reader
// (feature/migration/qrcode, QrCodePayloadAdapter) reads the optional
// strings with Moshi's nextString, which refuses null.
//
// No delete policy travels in the code, and none is needed: the app's
// QrCodePayloadMapper sets it itself from the incoming protocol through
// DefaultDeletePolicyProvider (IMAP: ON_DELETE, written "DELETE" to the
// settings it imports; POP3: NEVER), the same DELETE the .k9s writes for
// IMAP. The code cannot carry mailsetup's POP3 "remove once downloaded"
// (the .k9s's DELETE for POP3): a scanned POP3 account keeps mail on the
// server.

// MaxQRAccounts is the most accounts one code may carry.
const MaxQRAccounts = 3

// qrModulePixels is the size of one QR module in the PNG.
const qrModulePixels = 8

// qrQuietZone is the light border around a code, in modules: the 4 the
// standard asks for.
const qrQuietZone = 4

// QRAccount is one account of a QR code payload.
type QRAccount struct {
	Account account.Account
	// Password is written as is for servers that use a password; leave it
	// empty unless the person asked for the password to be included.
	Password string
}

// AndroidQRPayload returns the JSON payload of a single QR code ([1,[1,1],...])
// for one to three accounts. Placeholders are expanded and each account is
// validated; each server uses the first of its methods Android can use
// (OAuth2 included), and a server with only NTLM or GSSAPI is rejected.
func AndroidQRPayload(accts []QRAccount) ([]byte, error) {
	return AndroidQRPayloadPart(1, 1, accts)
}

// AndroidQRPayloadPart is AndroidQRPayload for code number part of total,
// for exports that need more than one code (more than three accounts).
func AndroidQRPayloadPart(part, total int, accts []QRAccount) ([]byte, error) {
	expanded := make([]QRAccount, len(accts))
	for i, qa := range accts {
		a := qa.Account.Expand()
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("QR code account %d: %w", i+1, err)
		}
		a, _, err := chooseAuth(a, androidSupports, "err.auth.android")
		if err != nil {
			return nil, fmt.Errorf("QR code account %d: %w", i+1, err)
		}
		expanded[i] = QRAccount{Account: a, Password: qa.Password}
	}
	b, _, err := qrPayload(part, total, expanded)
	return b, err
}

// qrPayload builds the payload for valid, expanded accounts and reports
// whether it holds a password.
func qrPayload(part, total int, accts []QRAccount) ([]byte, bool, error) {
	switch {
	case len(accts) == 0:
		return nil, false, errors.New("QR code: no account")
	case len(accts) > MaxQRAccounts:
		return nil, false, fmt.Errorf("QR code: %d accounts, at most %d fit in one code: split them over several codes", len(accts), MaxQRAccounts)
	case total < 1 || part < 1 || part > total:
		return nil, false, fmt.Errorf("QR code: part %d of %d is out of range", part, total)
	}
	doc := []any{1, []int{part, total}}
	hasPW := false
	for i, qa := range accts {
		a := qa.Account
		if err := checkAndroid(a, qa.Password); err != nil {
			return nil, false, fmt.Errorf("QR code account %d (%s): %w", i+1, a.Email, err)
		}
		in, inPW, err := qrServer(a.Incoming, qa.Password)
		if err != nil {
			return nil, false, err
		}
		out, outPW, err := qrServer(a.Outgoing, qa.Password)
		if err != nil {
			return nil, false, err
		}
		hasPW = hasPW || inPW || outPW
		// in: proto host port security auth username password; the
		// account name is the address, as Thunderbird writes the
		// prettyName its wizard gives every account (the .k9s's <name>).
		incoming := []any{in[0], in[1], in[2], in[3], in[4], in[5], a.Email.Display(), in[6]}
		outgoing := []any{0, out[1], out[2], out[3], out[4], out[5], out[6]}
		identity := []any{a.Email.String(), androidOneLine(a.DisplayName)}
		doc = append(doc, incoming, []any{[]any{outgoing, identity}})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, false, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), hasPW, nil
}

// qrServer returns [proto, host, port, security, auth, username, password]
// and whether the password was written.
func qrServer(s account.Server, password string) ([7]any, bool, error) {
	proto := 0 // IMAP, and SMTP in an outgoing group
	if s.Protocol == account.POP3 {
		proto = 1
	}
	sec := 0
	switch s.Security {
	case account.STARTTLS:
		sec = 2
	case account.TLS:
		sec = 3
	}
	var auth int
	switch s.Auth {
	case account.AuthNone, account.AuthClientIP:
		auth = 0
	case account.AuthPasswordCleartext:
		auth = 1
	case account.AuthPasswordEncrypted:
		auth = 2
	case account.AuthTLSClientCert:
		auth = 5
	case account.AuthOAuth2:
		auth = 6
	default: // NTLM (4) and GSSAPI (3) are rejected by Android
		return [7]any{}, false, androidAuthError(s.Auth)
	}
	pw := ""
	if s.Auth.UsesPassword() {
		pw = password
	}
	return [7]any{proto, s.Host, s.Port, sec, auth, s.Username, pw}, pw != "", nil
}

// qrEncode encodes payload with error correction L.
func qrEncode(payload []byte) (*qrcode.Code, error) {
	c, err := qrcode.Encode(payload, qrcode.L)
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	return c, nil
}

// qrBitmap encodes payload with error correction L; the bitmap includes the
// 4-module quiet zone. bitmap[y][x] is true for a dark module.
func qrBitmap(payload []byte) ([][]bool, error) {
	c, err := qrEncode(payload)
	if err != nil {
		return nil, err
	}
	return c.Bitmap(qrQuietZone), nil
}

// QRPNG renders payload as a black-on-white PNG QR code with error
// correction L and a 4-module quiet zone. The output is deterministic.
func QRPNG(payload []byte) ([]byte, error) {
	key := string(payload)
	if png, ok := qrCache.get(key); ok {
		return png, nil
	}
	png, err := qrPNG(payload)
	if err == nil {
		qrCache.put(key, png)
	}
	return png, err
}

// qrRecent remembers the last few rendered codes: the android and sheet
// formats of one account draw the same code, and bulk renders them one
// after the other. Callers get a copy-free shared slice they must not
// modify.
type qrRecent struct {
	mu   sync.Mutex
	keys []string
	vals map[string][]byte
}

const qrRecentSize = 64

var qrCache = &qrRecent{vals: map[string][]byte{}}

func (c *qrRecent) get(k string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.vals[k]
	return v, ok
}

func (c *qrRecent) put(k string, v []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.vals[k]; ok {
		return
	}
	if len(c.keys) == qrRecentSize {
		delete(c.vals, c.keys[0])
		c.keys = c.keys[1:]
	}
	c.keys = append(c.keys, k)
	c.vals[k] = v
}

func qrPNG(payload []byte) ([]byte, error) {
	c, err := qrEncode(payload)
	if err != nil {
		return nil, err
	}
	png, err := c.PNG(qrModulePixels, qrQuietZone)
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	return png, nil
}

// Terminal colours: pure black on pure white from the 256-colour palette,
// set explicitly so the code reads the same on dark and light (or
// inverted) terminals.
const (
	qrTermColors = "\x1b[38;5;16;48;5;231m"
	qrTermReset  = "\x1b[0m"
)

// QRTerminal renders payload for a terminal: two modules per character
// cell with Unicode half blocks, the quiet zone included, each line in
// explicit black-on-white so dark terminal themes do not invert it. The
// CLI prints it when stdout is a terminal.
func QRTerminal(payload []byte) (string, error) {
	bm, err := qrBitmap(payload)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for y := 0; y < len(bm); y += 2 {
		b.WriteString(qrTermColors)
		for x := range bm[y] {
			top := bm[y][x]
			bottom := y+1 < len(bm) && bm[y+1][x]
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteString(qrTermReset)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// AndroidQRTerminal renders the same code as the android format's PNG (the
// password included only with o.IncludePassword) for a terminal.
func AndroidQRTerminal(a account.Account, o Options) (string, error) {
	payload, err := AndroidQRPayload([]QRAccount{{Account: a, Password: androidPassword(o)}})
	if err != nil {
		return "", err
	}
	return QRTerminal(payload)
}
