// The icon set: lucide's icons, each imported from its own module so that only these reach the
// bundle (the package's index re-exports thousands). Decorative by default: the words beside an
// icon carry its meaning, so components render them aria-hidden.
export { default as IconBan } from 'lucide-react/icons/ban';
export { default as IconCheck } from 'lucide-react/icons/check';
export { default as IconCircle } from 'lucide-react/icons/circle';
export { default as IconCircleAlert } from 'lucide-react/icons/circle-alert';
export { default as IconCircleCheck } from 'lucide-react/icons/circle-check-big';
export { default as IconClockAlert } from 'lucide-react/icons/clock-alert';
export { default as IconCopy } from 'lucide-react/icons/copy';
export { default as IconGlobe } from 'lucide-react/icons/globe';
export { default as IconInbox } from 'lucide-react/icons/inbox';
export { default as IconInfo } from 'lucide-react/icons/info';
export { default as IconKey } from 'lucide-react/icons/key-round';
export { default as IconLoader } from 'lucide-react/icons/loader-circle';
export { default as IconLock } from 'lucide-react/icons/lock';
export { default as IconMonitor } from 'lucide-react/icons/monitor';
export { default as IconMoon } from 'lucide-react/icons/moon';
export { default as IconShieldCheck } from 'lucide-react/icons/shield-check';
export { default as IconSun } from 'lucide-react/icons/sun';
export { default as IconWarning } from 'lucide-react/icons/triangle-alert';
export { default as IconX } from 'lucide-react/icons/x';
