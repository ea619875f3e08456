//! Port discovery: which serial ports exist and which look like an engraver's USB adapter.
//!
//! Pseudo-terminals and some other devices are not listed by the OS enumeration, so a user
//! must always be able to type a path as well.

use std::path::Path;

/// A USB-serial chip commonly found on GRBL boards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownAdapter {
    /// USB vendor id.
    pub vid: u16,
    /// USB product id; `None` matches every product of the vendor.
    pub pid: Option<u16>,
    /// Chip or board name, e.g. "CH340".
    pub name: &'static str,
}

/// The adapters Burin recognises. Most cheap diode engravers use a CH340.
pub const KNOWN_ADAPTERS: &[KnownAdapter] = &[
    KnownAdapter {
        vid: 0x1a86,
        pid: Some(0x7523),
        name: "CH340",
    },
    KnownAdapter {
        vid: 0x1a86,
        pid: Some(0x55d4),
        name: "CH9102",
    },
    KnownAdapter {
        vid: 0x10c4,
        pid: Some(0xea60),
        name: "CP210x",
    },
    KnownAdapter {
        vid: 0x0403,
        pid: None,
        name: "FTDI",
    },
    KnownAdapter {
        vid: 0x2341,
        pid: None,
        name: "Arduino",
    },
];

/// The known adapter with this USB id, if any.
pub fn identify_adapter(vid: u16, pid: u16) -> Option<&'static KnownAdapter> {
    KNOWN_ADAPTERS
        .iter()
        .find(|a| a.vid == vid && a.pid.is_none_or(|p| p == pid))
}

/// USB details of a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsbDetails {
    pub vid: u16,
    pub pid: u16,
    pub manufacturer: Option<String>,
    pub product: Option<String>,
    pub serial_number: Option<String>,
}

/// How a port is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortKind {
    Usb(UsbDetails),
    Pci,
    Bluetooth,
    Unknown,
}

/// One serial port found on the system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    /// Path to open, e.g. `/dev/ttyUSB0` or `COM3`.
    pub path: String,
    pub kind: PortKind,
    /// The recognised USB adapter, if any.
    pub adapter: Option<&'static KnownAdapter>,
}

impl PortInfo {
    /// True if the port is a USB adapter that GRBL boards use.
    pub fn is_likely_engraver(&self) -> bool {
        self.adapter.is_some()
    }

    /// One-line human description, e.g. `CH340 (1a86:7523) USB Serial`.
    pub fn describe(&self) -> String {
        match &self.kind {
            PortKind::Usb(u) => {
                let mut s = match self.adapter {
                    Some(a) => format!("{} ({:04x}:{:04x})", a.name, u.vid, u.pid),
                    None => format!("USB ({:04x}:{:04x})", u.vid, u.pid),
                };
                for part in [&u.manufacturer, &u.product].into_iter().flatten() {
                    s.push(' ');
                    s.push_str(part);
                }
                s
            }
            PortKind::Pci => "built-in (PCI)".into(),
            PortKind::Bluetooth => "Bluetooth".into(),
            PortKind::Unknown => "unknown kind".into(),
        }
    }
}

/// Builds a [`PortInfo`] from what `serialport` reports.
pub fn port_info(p: &serialport::SerialPortInfo) -> PortInfo {
    let (kind, adapter) = match &p.port_type {
        serialport::SerialPortType::UsbPort(u) => (
            PortKind::Usb(UsbDetails {
                vid: u.vid,
                pid: u.pid,
                manufacturer: u.manufacturer.clone(),
                product: u.product.clone(),
                serial_number: u.serial_number.clone(),
            }),
            identify_adapter(u.vid, u.pid),
        ),
        serialport::SerialPortType::PciPort => (PortKind::Pci, None),
        serialport::SerialPortType::BluetoothPort => (PortKind::Bluetooth, None),
        serialport::SerialPortType::Unknown => (PortKind::Unknown, None),
    };
    PortInfo {
        path: p.port_name.clone(),
        kind,
        adapter,
    }
}

/// The serial ports the OS lists, likely engravers first, then by path. An enumeration
/// failure gives an empty list (the user can still type a path).
pub fn list_ports() -> Vec<PortInfo> {
    let mut ports: Vec<PortInfo> = serialport::available_ports()
        .unwrap_or_default()
        .iter()
        .map(port_info)
        .collect();
    sort_ports(&mut ports);
    ports
}

/// Likely engravers first, then by path.
pub fn sort_ports(ports: &mut [PortInfo]) {
    ports.sort_by(|a, b| {
        b.is_likely_engraver()
            .cmp(&a.is_likely_engraver())
            .then_with(|| a.path.cmp(&b.path))
    });
}

/// True if brltty is installed, or a known USB adapter is on the bus without a tty (what
/// brltty leaves behind after claiming a CH340). Linux only; false elsewhere.
pub fn brltty_suspected() -> bool {
    let installed = ["/usr/bin/brltty", "/bin/brltty", "/usr/sbin/brltty"]
        .iter()
        .any(|p| Path::new(p).exists());
    installed || adapter_without_tty()
}

/// A known adapter listed in sysfs whose interface has no `ttyUSB*` child.
fn adapter_without_tty() -> bool {
    let Ok(devices) = std::fs::read_dir("/sys/bus/usb/devices") else {
        return false;
    };
    for dev in devices.flatten() {
        let dir = dev.path();
        let hex = |name: &str| {
            std::fs::read_to_string(dir.join(name))
                .ok()
                .and_then(|s| u16::from_str_radix(s.trim(), 16).ok())
        };
        let (Some(vid), Some(pid)) = (hex("idVendor"), hex("idProduct")) else {
            continue;
        };
        if identify_adapter(vid, pid).is_none() || vid == 0x2341 {
            // Arduinos are CDC-ACM (ttyACM*), which brltty leaves alone.
            continue;
        }
        let has_tty = walk_has_tty(&dir, 3);
        if !has_tty {
            return true;
        }
    }
    false
}

fn walk_has_tty(dir: &Path, depth: u32) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("ttyUSB") || name.starts_with("ttyACM") || name == "tty" {
            return true;
        }
        // Only descend into interface folders like `1-1:1.0`, not back up the tree.
        if depth > 0
            && name.contains(':')
            && e.file_type().is_ok_and(|t| t.is_dir())
            && walk_has_tty(&e.path(), depth - 1)
        {
            return true;
        }
    }
    false
}

/// Names (with pid) of the processes that have `path` open, as far as this user may see them.
/// Linux only (`/proc`); empty elsewhere.
pub fn processes_holding(path: &str) -> Vec<String> {
    let Ok(target) = std::fs::canonicalize(path) else {
        return Vec::new();
    };
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for p in procs.flatten() {
        let pid = p.file_name().to_string_lossy().into_owned();
        if !pid.bytes().all(|b| b.is_ascii_digit()) || pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else {
            continue;
        };
        let holds = fds
            .flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l == target));
        if holds {
            let comm = std::fs::read_to_string(p.path().join("comm")).unwrap_or_default();
            found.push(format!("{} (pid {pid})", comm.trim()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usb(vid: u16, pid: u16, product: &str) -> serialport::SerialPortInfo {
        serialport::SerialPortInfo {
            port_name: format!("/dev/x{vid:04x}"),
            port_type: serialport::SerialPortType::UsbPort(serialport::UsbPortInfo {
                vid,
                pid,
                serial_number: None,
                manufacturer: None,
                product: Some(product.into()),
            }),
        }
    }

    #[test]
    fn names_the_usual_adapters() {
        assert_eq!(
            identify_adapter(0x1a86, 0x7523).map(|a| a.name),
            Some("CH340")
        );
        assert_eq!(
            identify_adapter(0x1a86, 0x55d4).map(|a| a.name),
            Some("CH9102")
        );
        assert_eq!(
            identify_adapter(0x10c4, 0xea60).map(|a| a.name),
            Some("CP210x")
        );
        assert_eq!(
            identify_adapter(0x0403, 0x6001).map(|a| a.name),
            Some("FTDI")
        );
        assert_eq!(
            identify_adapter(0x0403, 0x6015).map(|a| a.name),
            Some("FTDI")
        );
        assert_eq!(
            identify_adapter(0x2341, 0x0043).map(|a| a.name),
            Some("Arduino")
        );
        assert_eq!(identify_adapter(0x1a86, 0x1234), None);
        assert_eq!(identify_adapter(0x046d, 0xc52b), None);
    }

    #[test]
    fn engravers_sort_first_and_describe_themselves() {
        let mut ports = vec![
            PortInfo {
                path: "/dev/ttyS0".into(),
                kind: PortKind::Pci,
                adapter: None,
            },
            port_info(&usb(0x1a86, 0x7523, "USB Serial")),
            port_info(&usb(0x046d, 0xc52b, "Receiver")),
        ];
        sort_ports(&mut ports);
        assert!(ports[0].is_likely_engraver());
        assert_eq!(ports[0].describe(), "CH340 (1a86:7523) USB Serial");
        assert!(!ports[1].is_likely_engraver() && !ports[2].is_likely_engraver());
        assert_eq!(ports[1].describe(), "built-in (PCI)");
        assert_eq!(ports[2].describe(), "USB (046d:c52b) Receiver");
    }
}
