package i18n

func init() { add(EN, enServeACME) }

// enServeACME holds serve's words about certificates from an ACME CA
// (--acme-email).
var enServeACME = map[string]string{
	"err.serve.acme-and-tls":  "--acme-email gets the certificates by itself: leave out --tls-cert and --tls-key",
	"err.serve.acme-and-http": "--acme-email serves HTTPS: leave out --http (behind a reverse proxy, get the certificates there)",
	"err.serve.acme-flags":    "--acme-directory and --acme-cache go with --acme-email",
	"err.serve.acme":          "cannot set up ACME certificates: %v",
}
