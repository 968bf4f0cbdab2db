package iostreams

import "testing"

func TestColorAllowed(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, true},
		{map[string]string{"TERM": "xterm-256color"}, true},
		{map[string]string{"NO_COLOR": "1"}, false},
		{map[string]string{"NO_COLOR": ""}, true},
		{map[string]string{"TERM": "dumb"}, false},
	}
	for _, tt := range tests {
		if got := ColorAllowed(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("ColorAllowed(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
}

func TestCanPrompt(t *testing.T) {
	s, _, _, _ := Test()
	if s.CanPrompt() {
		t.Error("buffers can prompt")
	}
	s.SetTTY(true, true, true)
	if !s.CanPrompt() {
		t.Error("terminal cannot prompt")
	}
	s.SetNeverPrompt(true)
	if s.CanPrompt() {
		t.Error("MAILSETUP_NO_PROMPT ignored")
	}
	s.SetTTY(true, false, true)
	s.SetNeverPrompt(false)
	if s.CanPrompt() {
		t.Error("can prompt with stdout redirected")
	}
}

func TestColorScheme(t *testing.T) {
	s, _, _, _ := Test()
	if got := s.ColorScheme().Red("x"); got != "x" {
		t.Errorf("colour off: Red(x) = %q", got)
	}
	s.SetColorEnabled(true)
	if got := s.ColorScheme().Red("x"); got != "\x1b[31mx\x1b[0m" {
		t.Errorf("colour on: Red(x) = %q", got)
	}
}

func TestSystemHonoursNoPrompt(t *testing.T) {
	t.Setenv(NoPromptEnv, "1")
	t.Setenv("NO_COLOR", "1")
	s := System()
	if s.CanPrompt() || s.ColorEnabled() {
		t.Errorf("System() with MAILSETUP_NO_PROMPT and NO_COLOR: CanPrompt %v, ColorEnabled %v", s.CanPrompt(), s.ColorEnabled())
	}
}
