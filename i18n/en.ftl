# kassa — English

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
date-time = { $day } { $month } { $year }, { $time }

mail-greeting = Hello { $name },
mail-when = When
mail-where = Where
mail-seats = Seats
mail-seat = row { $row }, seat { $number }
mail-total = Total
mail-reference = Booking reference
mail-manage = See or cancel your booking
mail-pay-at-door = Pay at the door, in cash or by card.
mail-show-qr = Show each ticket's QR code at the door, on your screen or on paper.
mail-ticket = Ticket
mail-calendar = A calendar entry is attached.
mail-signature = See you at the theater!

booking_confirmed-subject = Your tickets: “{ $title }”, { $date }
booking_confirmed-intro = You have booked seats for “{ $title }”.

booking_cancelled-subject = Booking { $reference } cancelled
booking_cancelled-intro = Your booking { $reference } for “{ $title }” ({ $date }) is cancelled; its tickets are no longer valid.

performance_rescheduled-subject = “{ $title }” moved to { $date }
performance_rescheduled-intro = “{ $title }” has moved from { $previous } to { $date }. Your tickets stay valid; the updated calendar entry is attached.

performance_cancelled-subject = “{ $title }” on { $date } is cancelled
performance_cancelled-intro = We are sorry: “{ $title }” on { $date } is cancelled. Your booking { $reference } is cancelled.

page-title = 2act — tickets
page-nav-home = What's on
page-language = Language
page-upcoming = Coming up
page-no-performances = Nothing is on sale right now. Please look again soon.
page-from-price = from { $price }
page-seats-left = { $count } seats left
page-few-left = few seats left
page-sold-out = sold out
page-buy = Choose seats
page-minutes = { $minutes } min
page-interval = with an interval
page-age = { $rating }
page-footer = 2act theater, Almaty
page-stage = Stage
page-prices = Prices
page-seat-label = Row { $row }, seat { $number }, { $zone }, { $price }: { $status }
page-status-available = available
page-status-held = held by another buyer, may free up
page-status-booked = taken
page-status-blocked = not available
page-accessible = wheelchair space
page-legend-unavailable = taken
page-back = All performances
page-cancelled = This performance is cancelled
page-pick-seats = Pick your seats
page-hold = Book the chosen seats
page-total = Total
page-checkout = Checkout
page-held-until = The seats are yours until { $time }.
page-name = Name
page-email = E-mail
page-phone = Phone (optional)
page-confirm = Confirm the booking
page-hold-expired = Time ran out and the seats were released. Please pick them again.
page-seats-taken = Some of these seats were just taken. Please pick others.
page-choose-at-least-one = Pick at least one seat.
page-form-expired = This form has expired. Reload the page and try again.
page-booking = Booking { $reference }
page-booking-confirmed = Your booking is confirmed. The tickets are on their way to { $email }.
page-booking-cancelled = This booking is cancelled.
page-add-to-calendar = Add to calendar
page-cancel-booking = Cancel the booking
page-too-late = The booking can no longer be cancelled online: the performance starts in less than { $minutes } minutes.
page-manage-note = Keep this page: the link in your e-mail opens it again.
page-not-found = Page not found.
