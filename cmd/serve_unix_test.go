//go:build unix

package cmd

import (
	"context"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeSIGHUP: a real SIGHUP makes serve read its configuration again.
func TestServeSIGHUP(t *testing.T) {
	cfgFile := writeTemp(t, "serve.yaml", serveTestConfig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, _, done := startServe(t, ctx, nil, "--config", cfgFile, "--http", "--listen", "127.0.0.1:0")
	os.WriteFile(cfgFile, []byte(strings.Replace(serveTestConfig, "[other.test]", "[hup.test]", 1)), 0o600)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	// The reload runs in the server's goroutine: ask until it is done.
	// The limit only keeps a broken reload from hanging the test.
	for limit := time.Now().Add(30 * time.Second); ; {
		req, _ := http.NewRequest("GET", "http://"+addr.String()+"/mail/config-v1.1.xml", nil)
		req.Host = "autoconfig.hup.test"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if time.Now().After(limit) {
			t.Fatal("SIGHUP did not reload the configuration")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}
