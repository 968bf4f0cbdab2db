package i18n

func init() { add(RO, roServeACME) }

var roServeACME = map[string]string{
	"err.serve.acme-and-tls":  "--acme-email obține singur certificatele: renunțați la --tls-cert și --tls-key",
	"err.serve.acme-and-http": "--acme-email servește HTTPS: renunțați la --http (în spatele unui proxy invers, obțineți certificatele acolo)",
	"err.serve.acme-flags":    "--acme-directory și --acme-cache se dau doar împreună cu --acme-email",
	"err.serve.acme":          "certificatele ACME nu pot fi pregătite: %v",
}
