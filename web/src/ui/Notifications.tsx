import {
  Button,
  Text,
  UNSTABLE_Toast as Toast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastQueue as ToastQueue,
  UNSTABLE_ToastRegion as ToastRegion,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';

interface Notice {
  title: string;
  description?: string;
}

/**
 * Notifications: React Aria's toast region, a landmark announced to screen readers and reached with
 * F6. Its API is still marked unstable upstream, so it is used only through this file.
 */
const queue = new ToastQueue<Notice>({ maxVisibleToasts: 3 });

export function notify(title: string, description?: string): void {
  queue.add({ title, description }, { timeout: 6_000 });
}

export function Notifications() {
  const { t } = useTranslation();
  return (
    <ToastRegion queue={queue} className="toast-region">
      {({ toast }) => (
        <Toast toast={toast} className="toast">
          <ToastContent>
            <Text slot="title">{toast.content.title}</Text>
            {toast.content.description ? <Text slot="description">{toast.content.description}</Text> : null}
          </ToastContent>
          <Button slot="close" className="icon-button" aria-label={t('ui.close')}>
            ×
          </Button>
        </Toast>
      )}
    </ToastRegion>
  );
}
