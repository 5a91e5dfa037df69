# kassa — русский (язык по умолчанию)

month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря
date-time = { $day } { $month } { $year }, { $time }

mail-greeting = Здравствуйте, { $name }!
mail-when = Когда
mail-where = Где
mail-seats = Места
mail-seat = ряд { $row }, место { $number }
mail-total = Итого
mail-reference = Номер брони
mail-manage = Посмотреть или отменить бронь
mail-pay-at-door = Оплата на входе, наличными или картой.
mail-show-qr = На входе покажите QR-код каждого билета — с экрана или на бумаге.
mail-ticket = Билет
mail-calendar = Событие для календаря — во вложении.
mail-signature = До встречи в театре!

booking_confirmed-subject = Ваши билеты: «{ $title }», { $date }
booking_confirmed-intro = Вы забронировали места на спектакль «{ $title }».

booking_cancelled-subject = Бронь { $reference } отменена
booking_cancelled-intro = Ваша бронь { $reference } на спектакль «{ $title }» ({ $date }) отменена, билеты больше не действуют.

performance_rescheduled-subject = Спектакль «{ $title }» перенесён на { $date }
performance_rescheduled-intro = Спектакль «{ $title }» перенесён: было { $previous }, теперь { $date }. Ваши билеты действительны; обновлённое событие календаря — во вложении.

performance_cancelled-subject = Спектакль «{ $title }» { $date } отменён
performance_cancelled-intro = К сожалению, спектакль «{ $title }» { $date } отменён. Ваша бронь { $reference } аннулирована.

page-title = 2act — билеты
page-nav-home = Афиша
page-language = Язык
page-upcoming = Ближайшие спектакли
page-no-performances = Сейчас нет спектаклей в продаже. Загляните позже.
page-from-price = от { $price }
page-seats-left = осталось мест: { $count }
page-few-left = мало мест
page-sold-out = билетов нет
page-buy = Выбрать места
page-minutes = { $minutes } мин
page-interval = с антрактом
page-age = { $rating }
page-footer = Театр 2act, Алматы
page-stage = Сцена
page-prices = Цены
page-seat-label = Ряд { $row }, место { $number }, { $zone }, { $price }: { $status }
page-status-available = свободно
page-status-held = выбрано другим зрителем, может освободиться
page-status-booked = занято
page-status-blocked = недоступно
page-accessible = место для зрителя на коляске
page-legend-unavailable = занято
page-back = Вся афиша
page-cancelled = Спектакль отменён
page-pick-seats = Выберите места
page-hold = Забронировать выбранные
page-total = Итого
page-checkout = Оформление
page-held-until = Места закреплены за вами до { $time }.
page-name = Имя
page-email = Электронная почта
page-phone = Телефон (необязательно)
page-confirm = Подтвердить бронь
page-hold-expired = Время на оформление вышло, места освобождены. Выберите их заново.
page-seats-taken = Некоторые из этих мест только что заняли. Выберите другие.
page-choose-at-least-one = Выберите хотя бы одно место.
page-form-expired = Форма устарела. Обновите страницу и попробуйте ещё раз.
page-booking = Бронь { $reference }
page-booking-confirmed = Бронь подтверждена. Письмо с билетами отправлено на { $email }.
page-booking-cancelled = Бронь отменена.
page-add-to-calendar = Добавить в календарь
page-cancel-booking = Отменить бронь
page-too-late = Отменить бронь онлайн уже нельзя: до начала меньше { $minutes } минут.
page-manage-note = Сохраните эту страницу: по ссылке из письма её можно открыть снова.
page-not-found = Страница не найдена.
