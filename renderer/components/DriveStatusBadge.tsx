import { Badge, type BadgeProps } from '@fluentui/react-components';
import {
  ArrowSync16Regular,
  LockClosed16Regular,
  Pause16Regular,
  ShieldCheckmark16Regular,
  ShieldDismiss16Regular,
  ShieldQuestion16Regular,
  Warning16Regular,
} from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import { statusText, type DriveStatus } from '../volume-status';

const looks: Record<DriveStatus['kind'], { color: BadgeProps['color']; icon: ReactElement }> = {
  on: { color: 'success', icon: <ShieldCheckmark16Regular /> },
  off: { color: 'informative', icon: <ShieldDismiss16Regular /> },
  locked: { color: 'informative', icon: <LockClosed16Regular /> },
  suspended: { color: 'warning', icon: <Pause16Regular /> },
  waitingForActivation: { color: 'warning', icon: <Warning16Regular /> },
  encrypting: { color: 'brand', icon: <ArrowSync16Regular /> },
  decrypting: { color: 'brand', icon: <ArrowSync16Regular /> },
  encryptionPaused: { color: 'warning', icon: <Pause16Regular /> },
  decryptionPaused: { color: 'warning', icon: <Pause16Regular /> },
  unknown: { color: 'informative', icon: <ShieldQuestion16Regular /> },
};

export function DriveStatusBadge({ status }: { status: DriveStatus }) {
  const { color, icon } = looks[status.kind];
  return (
    <Badge appearance="tint" shape="rounded" size="large" color={color} icon={icon}>
      {statusText(status)}
    </Badge>
  );
}
