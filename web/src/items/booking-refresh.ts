import { useQueryClient } from '@tanstack/react-query';
import { notify } from '../ui/Notifications';

/**
 * After any party's step on a booking, says what happened and reads again the booking, its progress
 * and the lists and calendar that show it (those this user has not opened are not read at all).
 */
export function useBookingRefresh(bookingId: string) {
  const queryClient = useQueryClient();
  return async (message: string) => {
    notify(message);
    await Promise.all(
      [
        ['booking-progress', bookingId],
        ['booking', bookingId],
        ['worklist'],
        ['provider-bookings'],
        ['capacity'],
      ].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
    );
  };
}
