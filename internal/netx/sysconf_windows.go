//go:build windows

package netx

// The Windows configuration source: the DNS servers of the network
// adapters, from GetAdaptersAddresses. Only the conversion of the
// system's structures to Adapter lives here; the rules are in
// NameserversFromAdapters, tested on every system.

import (
	"errors"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

func init() {
	systemSource = AdapterSource{Name: "the Windows network adapters' configuration", List: windowsAdapters}
}

// windowsAdapters lists the system's adapters with their DNS servers.
func windowsAdapters() ([]Adapter, error) {
	l := uint32(15000) // the recommended initial size
	var b []byte
	for {
		b = make([]byte, l)
		const flags = windows.GAA_FLAG_INCLUDE_GATEWAYS | windows.GAA_FLAG_SKIP_UNICAST | windows.GAA_FLAG_SKIP_ANYCAST | windows.GAA_FLAG_SKIP_MULTICAST
		err := windows.GetAdaptersAddresses(syscall.AF_UNSPEC, flags, 0, (*windows.IpAdapterAddresses)(unsafe.Pointer(&b[0])), &l)
		if err == nil {
			if l == 0 {
				return nil, nil
			}
			break
		}
		if !errors.Is(err, windows.ERROR_BUFFER_OVERFLOW) || l <= uint32(len(b)) {
			return nil, os.NewSyscallError("GetAdaptersAddresses", err)
		}
	}
	var out []Adapter
	for aa := (*windows.IpAdapterAddresses)(unsafe.Pointer(&b[0])); aa != nil; aa = aa.Next {
		a := Adapter{
			Name:       windows.UTF16PtrToString(aa.FriendlyName),
			Up:         aa.OperStatus == windows.IfOperStatusUp,
			HasGateway: aa.FirstGatewayAddress != nil,
		}
		for d := aa.FirstDnsServerAddress; d != nil; d = d.Next {
			if ip, ok := socketAddr(&d.Address); ok {
				a.DNSServers = append(a.DNSServers, ip)
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// socketAddr converts a SOCKET_ADDRESS to an address, with the scope id
// as the zone of an IPv6 address.
func socketAddr(sa *windows.SocketAddress) (netip.Addr, bool) {
	if sa.Sockaddr == nil {
		return netip.Addr{}, false
	}
	switch {
	case sa.Sockaddr.Addr.Family == windows.AF_INET && uintptr(sa.SockaddrLength) >= unsafe.Sizeof(windows.RawSockaddrInet4{}):
		return netip.AddrFrom4((*windows.RawSockaddrInet4)(unsafe.Pointer(sa.Sockaddr)).Addr), true
	case sa.Sockaddr.Addr.Family == windows.AF_INET6 && uintptr(sa.SockaddrLength) >= unsafe.Sizeof(windows.RawSockaddrInet6{}):
		r := (*windows.RawSockaddrInet6)(unsafe.Pointer(sa.Sockaddr))
		ip := netip.AddrFrom16(r.Addr)
		if r.Scope_id != 0 {
			ip = ip.WithZone(strconv.FormatUint(uint64(r.Scope_id), 10))
		}
		return ip, true
	}
	return netip.Addr{}, false
}
