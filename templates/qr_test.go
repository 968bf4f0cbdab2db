package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"reflect"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/mailsetup/mailsetup/account"
)

// decodeQR reads a QR code from an image with gozxing (a decoder
// independent of the encoder) and returns the text and the error
// correction level it reports. It locates the code with the finder-pattern
// detector; gozxing's detector misses some valid large codes that other
// readers (zbar, phones) find, so it then falls back to reading the image
// as a pure barcode, which still decodes every module, and says so in
// detected.
func decodeQR(t *testing.T, img image.Image) (text, ecLevel string, detected bool) {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("QR bitmap: %v", err)
	}
	detected = true
	res, err := zxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		detected = false
		res, err = zxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	}
	if err != nil {
		t.Fatalf("QR decode: %v", err)
	}
	ec, _ := res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL].(string)
	return res.GetText(), ec, detected
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("PNG: %v", err)
	}
	return img
}

func decodeQRPNG(t *testing.T, data []byte) (text, ecLevel string, detected bool) {
	t.Helper()
	return decodeQR(t, decodePNG(t, data))
}

// checkQRJSON checks a payload against the "Export for Mobile" format
// (formats.md 4b) without using the encoder's types: numbers are numbers,
// strings are strings (never null), arrays have the right lengths and enum
// values are in range. It returns the accounts' decoded fields.
func checkQRJSON(t *testing.T, text string) [][]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var doc []any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("QR JSON %q: %v", text, err)
	}
	num := func(v any, what string) int64 {
		t.Helper()
		n, ok := v.(json.Number)
		if !ok {
			t.Fatalf("%s: %#v is not a number", what, v)
		}
		i, err := n.Int64()
		if err != nil {
			t.Fatalf("%s: %v is not an integer", what, n)
		}
		return i
	}
	str := func(v any, what string) string {
		t.Helper()
		s, ok := v.(string)
		if !ok {
			t.Fatalf("%s: %#v is not a string (null is not allowed)", what, v)
		}
		return s
	}
	arr := func(v any, n int, what string) []any {
		t.Helper()
		a, ok := v.([]any)
		if !ok || (n >= 0 && len(a) != n) {
			t.Fatalf("%s: %#v is not an array of %d", what, v, n)
		}
		return a
	}
	ascii := func(s, what string) {
		t.Helper()
		for _, r := range s {
			if r > 0x7e || r < 0x20 {
				t.Errorf("%s %q is not ASCII", what, s)
				return
			}
		}
	}
	if len(doc) < 4 || (len(doc)-2)%2 != 0 || (len(doc)-2)/2 > 3 {
		t.Fatalf("QR JSON has %d elements, want 2 + 2 per account (1 to 3 accounts)", len(doc))
	}
	if v := num(doc[0], "format version"); v != 1 {
		t.Errorf("format version %d, want 1", v)
	}
	seq := arr(doc[1], 2, "sequence")
	if s, e := num(seq[0], "seq"), num(seq[1], "seqEnd"); s < 1 || s > e {
		t.Errorf("sequence [%d,%d] is not valid", s, e)
	}
	validSec := map[int64]bool{0: true, 2: true, 3: true}
	validAuth := map[int64]bool{0: true, 1: true, 2: true, 5: true, 6: true}
	var out [][]any
	for i := 2; i < len(doc); i += 2 {
		in := arr(doc[i], 8, "incoming")
		if p := num(in[0], "incoming proto"); p != 0 && p != 1 {
			t.Errorf("incoming proto %d, want 0 or 1", p)
		}
		ascii(str(in[1], "incoming host"), "incoming host")
		if p := num(in[2], "incoming port"); p < 1 || p > 65535 {
			t.Errorf("incoming port %d", p)
		}
		if s := num(in[3], "incoming security"); !validSec[s] {
			t.Errorf("incoming security %d", s)
		}
		if a := num(in[4], "incoming auth"); !validAuth[a] {
			t.Errorf("incoming auth %d", a)
		}
		for j, what := range []string{"username", "account name", "password"} {
			str(in[5+j], "incoming "+what)
		}
		groups := arr(doc[i+1], -1, "outgoing groups")
		if len(groups) < 1 {
			t.Fatalf("no outgoing group")
		}
		g := arr(groups[0], 2, "outgoing group")
		o := arr(g[0], 7, "outgoing server")
		if p := num(o[0], "outgoing proto"); p != 0 {
			t.Errorf("outgoing proto %d, want 0 (SMTP)", p)
		}
		ascii(str(o[1], "outgoing host"), "outgoing host")
		if p := num(o[2], "outgoing port"); p < 1 || p > 65535 {
			t.Errorf("outgoing port %d", p)
		}
		if s := num(o[3], "outgoing security"); !validSec[s] {
			t.Errorf("outgoing security %d", s)
		}
		if a := num(o[4], "outgoing auth"); !validAuth[a] {
			t.Errorf("outgoing auth %d", a)
		}
		str(o[5], "outgoing username")
		str(o[6], "outgoing password")
		id := arr(g[1], 2, "identity")
		email := str(id[0], "identity email")
		if _, err := account.ParseAddress(email); err != nil || !strings.Contains(email, "@") {
			t.Errorf("identity email %q: %v", email, err)
		}
		if at := strings.LastIndexByte(email, '@'); at >= 0 {
			ascii(email[at+1:], "identity email domain")
		}
		str(id[1], "identity name")
		out = append(out, append(append([]any{}, in...), o, id))
	}
	return out
}

func TestQRPayloadFormat(t *testing.T) {
	a := fixtures()[0].acct
	got, err := AndroidQRPayload([]QRAccount{{Account: a}})
	if err != nil {
		t.Fatal(err)
	}
	// Byte for byte what Thunderbird desktop's "Export for Mobile" writes
	// for this account (QRExport.getAccountData): the account name is the
	// address (Thunderbird's prettyName), the password "".
	want := `[1,[1,1],[0,"imap.example.com",993,3,1,"jane@example.com","jane@example.com",""],[[[0,"smtp.example.com",465,3,1,"jane@example.com",""],["jane@example.com","Jane Doe"]]]]`
	if string(got) != want {
		t.Errorf("payload\n got %s\nwant %s", got, want)
	}
	checkQRJSON(t, string(got))
}

func TestQRPayloadBulk(t *testing.T) {
	var qa []QRAccount
	for _, f := range fixtures()[:4] {
		qa = append(qa, QRAccount{Account: f.acct})
	}
	got, err := AndroidQRPayload(qa[:3])
	if err != nil {
		t.Fatal(err)
	}
	accts := checkQRJSON(t, string(got))
	if len(accts) != 3 {
		t.Fatalf("%d accounts in the payload, want 3", len(accts))
	}
	if _, err := AndroidQRPayload(qa); err == nil || !strings.Contains(err.Error(), "at most 3") {
		t.Errorf("4 accounts: err = %v, want an 'at most 3' error", err)
	}
	if _, err := AndroidQRPayload(nil); err == nil {
		t.Error("no account: no error")
	}
	part, err := AndroidQRPayloadPart(2, 2, qa[3:])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(part), "[1,[2,2],") {
		t.Errorf("part 2 of 2 starts %.12s", part)
	}
	if _, err := AndroidQRPayloadPart(3, 2, qa[3:]); err == nil {
		t.Error("part 3 of 2: no error")
	}
	// Placeholders are expanded and invalid accounts rejected.
	if !strings.Contains(string(part), `"o'brien+news"`) || strings.Contains(string(part)+string(got), "%EMAIL") {
		t.Errorf("placeholders not expanded: %s", part)
	}
	bad := fixtures()[0].acct
	bad.Incoming.Port = 0
	if _, err := AndroidQRPayload([]QRAccount{{Account: bad}}); err == nil {
		t.Error("invalid account: no error")
	}
	// The encoder copes with three accounts in one code.
	png, err := QRPNG(got)
	if err != nil {
		t.Fatal(err)
	}
	text, _, _ := decodeQRPNG(t, png)
	if text != string(got) {
		t.Errorf("decoded %s\nwant %s", text, got)
	}
}

func TestQRRejectsAndroidUnsupportedAuth(t *testing.T) {
	for _, m := range []account.AuthMethod{account.AuthNTLM, account.AuthGSSAPI} {
		a := fixtures()[0].acct
		a.Outgoing.Auth = m
		_, err := AndroidQRPayload([]QRAccount{{Account: a}})
		if err == nil || !strings.Contains(err.Error(), "cannot use") {
			t.Errorf("%s: err = %v, want a clear 'cannot use' error", m, err)
		}
	}
}

func TestQRAuthAndSecurityNumbers(t *testing.T) {
	cases := []struct {
		auth      account.AuthMethod
		sec       account.Security
		wantAuth  int
		wantSec   int
		wantProto int
		proto     account.Protocol
	}{
		{account.AuthPasswordCleartext, account.TLS, 1, 3, 0, account.IMAP},
		{account.AuthPasswordEncrypted, account.STARTTLS, 2, 2, 1, account.POP3},
		{account.AuthNone, account.None, 0, 0, 0, account.IMAP},
		{account.AuthClientIP, account.None, 0, 0, 0, account.IMAP},
		{account.AuthTLSClientCert, account.TLS, 5, 3, 0, account.IMAP},
		{account.AuthOAuth2, account.TLS, 6, 3, 0, account.IMAP},
	}
	for _, c := range cases {
		a := fixtures()[0].acct
		a.Incoming = account.Server{Protocol: c.proto, Host: "in.example.com", Port: 1234, Security: c.sec, Auth: c.auth, Username: "u"}
		got, err := AndroidQRPayload([]QRAccount{{Account: a, Password: "pw"}})
		if err != nil {
			t.Fatalf("%v: %v", c.auth, err)
		}
		in := checkQRJSON(t, string(got))[0]
		want := fmt.Sprintf("%v %v %v", c.wantProto, c.wantSec, c.wantAuth)
		if g := fmt.Sprintf("%v %v %v", in[0], in[3], in[4]); g != want {
			t.Errorf("%v/%v: proto sec auth = %s, want %s", c.auth, c.sec, g, want)
		}
		wantPW := ""
		if c.auth.UsesPassword() {
			wantPW = "pw"
		}
		if in[7] != wantPW {
			t.Errorf("%v: password %q, want %q", c.auth, in[7], wantPW)
		}
	}
}

// termBitmap turns QRTerminal output back into modules.
func termBitmap(t *testing.T, s string) [][]bool {
	t.Helper()
	var bm [][]bool
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if !strings.HasPrefix(line, qrTermColors) || !strings.HasSuffix(line, qrTermReset) {
			t.Fatalf("line %q does not set and reset explicit colours", line)
		}
		line = strings.TrimSuffix(strings.TrimPrefix(line, qrTermColors), qrTermReset)
		var top, bottom []bool
		for _, r := range line {
			switch r {
			case '█':
				top, bottom = append(top, true), append(bottom, true)
			case '▀':
				top, bottom = append(top, true), append(bottom, false)
			case '▄':
				top, bottom = append(top, false), append(bottom, true)
			case ' ':
				top, bottom = append(top, false), append(bottom, false)
			default:
				t.Fatalf("unexpected rune %q", r)
			}
		}
		bm = append(bm, top, bottom)
	}
	return bm
}

func bitmapImage(bm [][]bool, scale int) image.Image {
	n := len(bm[0])
	img := image.NewGray(image.Rect(0, 0, n*scale, len(bm)*scale))
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			c := color.Gray{Y: 255}
			if bm[y/scale][x/scale] {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	return img
}

func TestQRTerminal(t *testing.T) {
	f := fixtures()[1]
	s, err := AndroidQRTerminal(f.acct, Options{})
	if err != nil {
		t.Fatal(err)
	}
	bm := termBitmap(t, s)
	// The quiet zone: the first and last four module rows and columns are light.
	for _, y := range []int{0, 3, len(bm) - 5} {
		for x, dark := range bm[y] {
			if dark {
				t.Fatalf("module (%d,%d) of the quiet zone is dark", x, y)
			}
		}
	}
	for y := range bm {
		if bm[y][0] || bm[y][3] || bm[y][len(bm[y])-1] {
			t.Fatalf("row %d: the quiet zone is not light", y)
		}
	}
	text, ec, _ := decodeQR(t, bitmapImage(bm, 4))
	want, err := AndroidQRPayload([]QRAccount{{Account: f.acct}})
	if err != nil {
		t.Fatal(err)
	}
	if text != string(want) {
		t.Errorf("terminal code decodes to %s\nwant %s", text, want)
	}
	if ec != "L" {
		t.Errorf("error correction %q, want L", ec)
	}
}

// thunderbirdQRAccount is what Thunderbird desktop's "Export for Mobile"
// (comm-central mail/modules/QRExport.sys.mjs, getAccountData) writes for
// an account, re-stated from its source independently of qr.go:
//
//	[[INCOMING_PROTOCOL, hostname, port, SOCKET_TYPES, AUTH_METHODS,
//	  username, prettyName, password || ""],
//	 [[[OUTGOING_PROTOCOL_SMTP, hostname, port, SOCKET_TYPES, AUTH_METHODS,
//	    username, password || ""], [email, fullName]]]]
//
// with imap 0, pop3 1; plain 0, alwaysSTARTTLS 2, SSL 3; none 0,
// passwordCleartext 1, passwordEncrypted 2, OAuth2 6; prettyName the
// e-mail address, as Thunderbird's account wizard sets it.
func thunderbirdQRAccount(a account.Account, password string) []any {
	sock := map[account.Security]int{account.None: 0, account.STARTTLS: 2, account.TLS: 3}
	auth := map[account.AuthMethod]int{account.AuthNone: 0, account.AuthPasswordCleartext: 1, account.AuthPasswordEncrypted: 2, account.AuthOAuth2: 6}
	pw := func(s account.Server) string {
		if s.Auth.UsesPassword() {
			return password
		}
		return ""
	}
	proto := map[account.Protocol]int{account.IMAP: 0, account.POP3: 1}[a.Incoming.Protocol]
	in, out := a.Incoming, a.Outgoing
	return []any{
		[]any{proto, in.Host, in.Port, sock[in.Security], auth[in.Auth], in.Username, a.Email.Display(), pw(in)},
		[]any{[]any{
			[]any{0, out.Host, out.Port, sock[out.Security], auth[out.Auth], out.Username, pw(out)},
			[]any{a.Email.String(), a.DisplayName},
		}},
	}
}

// qrImportDeletePolicy is the deletePolicy Thunderbird for Android's QR
// import gives an account (QrCodePayloadMapper.getDeletePolicy through
// DefaultDeletePolicyProvider, written by XmlSettingWriter): ON_DELETE,
// "DELETE" in a settings file, for IMAP (0), NEVER for POP3 (1).
var qrImportDeletePolicy = map[float64]string{0: "DELETE", 1: "NEVER"}

// TestQRMatchesThunderbirdExport decodes the android format's QR PNG and
// compares the payload, element by element and type by type, with what
// Thunderbird desktop writes for the same account (without and with the
// password), and checks that an IMAP account scanned in Thunderbird for
// Android gets the deletePolicy the .k9s writes: the code carries none,
// the app sets it from the protocol.
func TestQRMatchesThunderbirdExport(t *testing.T) {
	const pw = "s3cr\"et"
	for _, f := range fixtures() {
		for _, o := range []Options{{}, {Password: pw, IncludePassword: true}} {
			t.Run(fmt.Sprintf("%s/password=%v", f.name, o.IncludePassword), func(t *testing.T) {
				a := f.acct.Expand()
				k9s, qr := androidFiles(t, f.acct, o)
				text, _, _ := decodeQRPNG(t, qr.Data)
				checkQRJSON(t, text) // no null, the documented lengths and values
				var got []any
				if err := json.Unmarshal([]byte(text), &got); err != nil {
					t.Fatal(err)
				}
				want := append([]any{1, []any{1, 1}}, thunderbirdQRAccount(a, androidPassword(o))...)
				wantJSON, _ := json.Marshal(want)
				var wantDoc []any
				if err := json.Unmarshal(wantJSON, &wantDoc); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, wantDoc) {
					t.Errorf("payload differs from Thunderbird's export\n got %s\nwant %s", text, wantJSON)
				}
				if a.Incoming.Protocol != account.IMAP {
					return
				}
				policy := qrImportDeletePolicy[got[2].([]any)[0].(float64)]
				doc := parseK9s(t, k9s.Data)
				for _, v := range doc.Accounts[0].Settings {
					if v.Key == "deletePolicy" && v.Value != policy {
						t.Errorf(".k9s deletePolicy %s, the QR import sets %s", v.Value, policy)
					}
				}
			})
		}
	}
}
